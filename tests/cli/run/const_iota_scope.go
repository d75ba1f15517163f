// `iota` is predeclared: a constant named iota hides it, and an omitted
// constant expression is checked again where it repeats (issue 18).
package main

import "fmt"

const (
	P0 = iota * 10
	P1
	P2
)

func main() {
	const (
		A    = iota
		iota = iota
		B
		C
	)
	fmt.Println(A, B, C)
	const (
		x, y = iota, iota + 100
		z, w
	)
	fmt.Println(x, y, z, w, P0, P1, P2)
	{
		const iota = 7
		const (
			m = iota
			n
		)
		fmt.Println(m, n)
	}
	const (
		u = iota
		v
	)
	fmt.Println(u, v)
}
