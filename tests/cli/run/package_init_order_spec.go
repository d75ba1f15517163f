// Package-level variables initialize in the order the specification gives:
// references through function and method bodies count, the earliest ready
// variable goes first, and a variable may use one declared after it in the
// same group (issue 18).
package main

import "fmt"

var trace []string

func note(name string, v int) int {
	trace = append(trace, name)
	return v
}

var a = f()

func f() int { return b }

var b = 2

var x = note("x", y)
var p = note("p", 0)
var y = note("y", 0)

var (
	c = d + 1
	d = 1
)

type counter struct{ n int }

func (c counter) get() int { return base + c.n }

var viaMethod = counter{n: 1}.get()
var base = note("base", 40)

var fn = func() int { return late * 2 }
var fromClosure = fn()
var late = 21

var q, r = pair()

func pair() (int, int) { return note("pair", s), s + 1 }

var s = note("s", 5)

func main() {
	fmt.Println(a, b, c, d, x, p, y)
	fmt.Println(viaMethod, base, fromClosure, late)
	fmt.Println(q, r, s)
	fmt.Println(trace)
}
