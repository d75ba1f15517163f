// A package-level alias may be used before its declaration, also through
// another alias.
package main

import "fmt"

type L []E
type E = M
type M struct{ n int }

type P *Q
type Q = [2]R
type R = int

func main() {
	l := L{{1}, {2}}
	var e E = l[1]
	fmt.Println(len(l), e.n, l)
	var q Q = Q{3, 4}
	var p P = &q
	fmt.Println(p[1], q)
}
