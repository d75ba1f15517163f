// Go's two-phase assignment: index and indirection operands on the left are
// evaluated with the right side, the stores happen left to right afterwards,
// and a store that panics leaves the earlier stores done.
package main

import "fmt"

type T struct{ x struct{ y int } }

func main() {
	x := []int{1, 2, 3}
	i := 0
	i, x[i] = 1, 100
	fmt.Println(i, x)

	m := map[string]int{}
	k := "a"
	k, m[k] = "b", 7
	fmt.Println(k, m)

	var t T
	p := &t
	p, p.x.y = new(T), 7
	fmt.Println(t.x.y, p.x.y)

	ys := []int{10, 20}
	j := 1
	for j, ys[j] = range []int{99} {
	}
	fmt.Println(j, ys)

	for a, b := 0, 5; a < b; a, b = a+1, b-1 {
		fmt.Println(a, b)
	}

	func() {
		defer func() { fmt.Println("recovered:", recover() != nil, m) }()
		var s []int
		m["c"], s[3] = 3, 4
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover() != nil, m) }()
		var q *T
		m["d"], q.x.y = 4, 5
	}()
}
