// Type literals in expression position: a pointer to an array type as a
// conversion's callee (slice to array pointer, with Go's length check), a
// pointer to a struct type as a type argument, a method expression of an
// interface type literal, and func types with results as conversions'
// callees, with or without parentheses (issue 18).
package main

import "fmt"

type Greeter struct{}

func (Greeter) Hi(name string) { fmt.Println("hi", name) }

func Show[T any](v T) { fmt.Printf("%T\n", v) }

func main() {
	s := []byte{1, 2, 3, 4, 5}
	p := (*[4]byte)(s)
	p[0] = 9
	fmt.Println(*p, s, len(p))
	q := (*[2]int)([]int{7, 8, 9})
	fmt.Println(q[1], len(q))
	var nilSlice []int
	fmt.Println((*[0]int)(nilSlice) == nil)
	x := struct{ n int }{5}
	Show[*struct{ n int }](&x)
	Show[**[2]string](nil)
	f := interface{ Hi(string) }.Hi
	f(Greeter{}, "bob")
	g := (func() int)(nil)
	h := func() int(nil)
	k := func(int) (int, error)(nil)
	double := func(x int) int { return x * 2 }
	back := func(int) int(double)
	fmt.Println(g == nil, h == nil, k == nil, back(21))
	defer func() { fmt.Println("recovered:", recover()) }()
	_ = (*[4]int)([]int{1, 2, 3})
}
