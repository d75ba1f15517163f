// Values of zero-size types travel by their count alone: a slice of
// struct{} as long as Go allows (maxInt) crosses every hop at once, and so
// do empty arrays and structs holding them (the encoder used to visit each
// of the maxInt elements: the conformance split of fixedbugs/issue29190
// timed out).
package main

import "fmt"

type T struct{}

type holder struct {
	none  [0]int
	empty []T
	n     int
}

const maxInt = int(^uint(0) >> 1)

func main() {
	s := make([]T, maxInt)
	big := make([]struct{}, 1<<40, 1<<41)
	h := holder{empty: s[:1<<30], n: 7}
	var arrs [][0]string = make([][0]string, 3, 1<<35)
	goToNetwork 'printer'
	fmt.Println(len(s), cap(s))
	fmt.Println(len(big), cap(big))
	fmt.Println(len(h.empty), cap(h.empty), len(h.none), h.n)
	fmt.Println(len(arrs), cap(arrs))
	goToNetwork 'reslicer'
	s = s[:5]
	fmt.Println(len(s), cap(s), s[4] == T{})
	big = append(big, struct{}{})
	fmt.Println(len(big), cap(big))
}
