// Function literals as Go 1.19 names them in a trace: numbered in source
// order per enclosing function (main.main.func2, main.helper.func2), after
// a method's receiver (main.(*T).m.func1), nested ones after their
// literal (main.(*T).m.func1.1). Each function defers, so that neither Go
// nor g2n inlines it: every function keeps its own frame (g2n's inlined
// calls have none yet, where Go prints an inlined frame).
package main

import "fmt"

type T struct{ n int }

func (t *T) m(k int) int {
	f := func(x int) int {
		g := func(y int) int {
			a := []int{1}
			defer fmt.Print("")
			return a[y+t.n]
		}
		defer fmt.Print("")
		return g(x) + 1
	}
	defer fmt.Print("")
	return f(k)
}

func helper(t *T) int {
	defer fmt.Print("")
	first := func() int { defer fmt.Print(""); return 1 }
	second := func(k int) int { defer fmt.Print(""); return t.m(k) + first() }
	return second(2)
}

func main() {
	w := func(s string) { defer fmt.Print(""); fmt.Println(s) }
	w("start")
	run := func() {
		defer fmt.Print("")
		fmt.Println(helper(&T{n: 4}))
	}
	run()
}
