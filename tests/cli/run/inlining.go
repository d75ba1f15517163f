// Small functions that g2n inlines into their callers (crates/codegen/src/inline.rs),
// called where inlining could go wrong: string constants and package-level
// variables inside the inlined body, chains of small calls, recursion,
// methods and function values, and panics raised inside an inlined body
// (index out of range, nil dereference, division by zero, panic) that a
// caller recovers, with named results set by its deferred call.
package main

import (
	"errors"
	"fmt"
)

var counter int
var label = "counter"

type point struct{ x, y int }

func (p *point) sum() int { return p.x + p.y }

func (p point) scaled(k int) point { return point{p.x * k, p.y * k} }

func bump() { counter++ }

func sign(n int) string {
	if n > 0 {
		return "positive"
	}
	if n < 0 {
		return "negative"
	}
	return "zero"
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func divmod(a, b int) (int, int) { return a / b, a % b }

func add1(n int) int { return n + 1 }
func add2(n int) int { return add1(add1(n)) }
func add4(n int) int { return add2(add2(n)) }

func isEven(n int) bool {
	if n == 0 {
		return true
	}
	return isOdd(n - 1)
}

func isOdd(n int) bool {
	if n == 0 {
		return false
	}
	return isEven(n - 1)
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func at(xs []int, i int) int { return xs[i] }

func deref(p *point) int { return p.x }

func quotient(a, b int) int { return a / b }

func fail(msg string) { panic(errors.New(msg)) }

func describe(v any) string { return fmt.Sprint("value ", v) }

// A small function that defers: it keeps a frame of its own.
func guarded(xs []int, i int) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("guarded: %v", r)
			v = -1
		}
	}()
	return xs[i], nil
}

// recover called directly by the deferred function.
func catch(where string) {
	if r := recover(); r != nil {
		fmt.Println(where, "recovered:", r)
	}
}

func try(name string, f func()) {
	defer catch(name)
	f()
}

// Named results, set by the deferred call after a panic in an inlined callee.
func safeAt(xs []int, i int) (v int, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = -1, false
		}
	}()
	return at(xs, i), true
}

func total(xs []int) int {
	s := 0
	for i := range xs {
		s += at(xs, i)
	}
	return s
}

func worker(n int, out chan<- int) { out <- add4(n) }

func main() {
	for i := 0; i < 3; i++ {
		bump()
	}
	fmt.Println(label, counter)
	fmt.Println(sign(5), sign(-5), sign(0))
	fmt.Println(min(3, 7), min(7, 3))
	q, r := divmod(17, 5)
	fmt.Println(q, r)
	fmt.Println(add4(10))
	fmt.Println(isEven(10), isOdd(7), isEven(7))
	fmt.Println(fib(20))
	p := &point{3, 4}
	s := p.scaled(3)
	fmt.Println(p.sum(), s.sum())
	f := add2
	fmt.Println(f(40))
	fmt.Println(describe(42), describe("x"))

	xs := []int{1, 2, 3}
	fmt.Println(total(xs))
	fmt.Println(safeAt(xs, 1))
	fmt.Println(safeAt(xs, 5))
	fmt.Println(guarded(xs, 2))
	fmt.Println(guarded(xs, 7))

	try("index", func() { fmt.Println(at(xs, 3)) })
	try("nil", func() {
		var np *point
		fmt.Println(deref(np))
	})
	try("divide", func() { fmt.Println(quotient(1, counter-3)) })
	try("panic", func() { fail("boom") })
	try("none", func() { fmt.Println("no panic", quotient(9, 3)) })

	out := make(chan int)
	go worker(1, out)
	fmt.Println(<-out)

	sum := 0
	for i := 0; i < 1000; i++ {
		sum += min(i, 500) + add1(i)%3
	}
	fmt.Println(sum)
}
