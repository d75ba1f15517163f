// A function literal that only takes the address of an outer variable
// shares it like one that reads it (before this was fixed, `&n` in a
// closure pointed to a copy).
package main

import "fmt"

func add(p *int, d int) { *p += d }

func main() {
	n := 0
	f := func() { add(&n, 5) }
	f()
	f()
	fmt.Println(n)
	s := "a"
	g := func() *string { return &s }
	*g() = "b"
	fmt.Println(s)
	var counters [3]int
	h := func(i int) { add(&counters[i], i) }
	h(1)
	h(2)
	fmt.Println(counters)
}
