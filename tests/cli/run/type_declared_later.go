// A defined type may name a defined type declared after it (issue 18).
package main

import "fmt"

type A B
type B struct{ n int }

type L []M
type M struct{ s string }

type C D
type D E
type E struct{ a, b int }

func (c C) sum() int { return c.a + c.b }

func main() {
	a := A{n: 7}
	l := L{{s: "x"}}
	c := C{a: 1, b: 2}
	var d D = D(c)
	fmt.Println(a, a.n, l, c.sum(), d, E(d).a)
	type Y struct{ z []int }
	type X Y
	fmt.Println(X{z: []int{4}})
}
