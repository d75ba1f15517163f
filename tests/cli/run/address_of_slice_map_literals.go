// &[]T{...} and &map[K]V{...} point to a fresh slice header or map
// variable (not to the backing array): len, cap, append through the
// pointer and sharing behave as in Go; so do elided &T in []*T literals.
package main

import "fmt"

func grow(p *[]int) { *p = append(*p, len(*p)*10) }

func main() {
	r := &[]int{7, 8, 9}
	println(len(*r), cap(*r))
	*r = append(*r, 10)
	fmt.Println(*r, len(*r), cap(*r))
	q := r
	grow(q)
	fmt.Println(*r, (*q)[4])

	a := &map[string]int{"a": 1, "b": 2}
	(*a)["c"] = 3
	fmt.Println(*a, len(*a))
	b := a
	delete(*b, "a")
	fmt.Println(*a)

	ps := []*[]string{{"x"}, {"y", "z"}}
	*ps[1] = append(*ps[1], "w")
	fmt.Println(len(ps), *ps[0], *ps[1])
	ms := map[string]*map[int]bool{"k": {1: true}}
	(*ms["k"])[2] = false
	fmt.Println(*ms["k"])

	fresh := func() *[]int { return &[]int{1} }
	x, y := fresh(), fresh()
	*x = append(*x, 2)
	fmt.Println(*x, *y)
}
