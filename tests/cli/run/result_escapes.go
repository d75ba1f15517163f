// A function returning a struct or an array writes the result where its
// caller says (crates/codegen/src/lower/calls.rs): a stack slot when the
// result is only copied from, the storage of the variable it is assigned
// to, the caller's own destination for `return f()`, or fresh heap memory
// where the result's address may be kept. Each shape here keeps a result
// past the call that made it (a global, a goroutine, a channel, a slice,
// an interface, a map, a closure, a pointer) and clobber then overwrites
// the stack: a result wrongly left in a frame prints garbage. The rest
// checks what a destination must not change: a deferred call sees the
// variable assigned the result as it was before the call, `return x`
// returns x as it was before the deferred calls changed it, a result read
// from the very variable it is assigned to, and every way to call a Go
// function (closures, func values, interface methods, method values,
// generic functions, reflect's Call and MakeFunc, several results).
package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

type pair struct {
	a, b int
	name string
}

type grid [4][4]int

type big [1024]int

// made loops so that the inliner leaves it a frame of its own.
func made(n int) pair {
	p := pair{name: "p"}
	for i := 0; i < n; i++ {
		p.a += i
		p.b += 2 * i
	}
	return p
}

func madeGrid(n int) grid {
	var g grid
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			g[i][j] = n*i + j
		}
	}
	return g
}

func madeBig(n int) big {
	var b big
	for i := range b {
		b[i] = n + i
	}
	return b
}

func relay(n int) pair    { return made(n) }
func relayTwice(n int) pair { return relay(n + 1) }

// clobber writes over the stack below its caller.
func clobber(depth int) int {
	var junk [64]int
	for i := range junk {
		junk[i] = -1 - i
	}
	if depth > 0 {
		return clobber(depth-1) + junk[depth]
	}
	return junk[0]
}

var (
	global    pair
	globalPtr *pair
	shared    pair
)

type maker interface{ make(n int) pair }

type byValue struct{ bias int }

func (v byValue) make(n int) pair { return made(n + v.bias) }

type byPointer struct{ calls int }

func (p *byPointer) make(n int) pair {
	p.calls++
	return made(n * p.calls)
}

func withError(n int) (pair, error) {
	if n < 0 {
		return pair{}, errors.New("negative")
	}
	return made(n), nil
}

func named(n int) (p pair, g grid) {
	p = made(n)
	g = madeGrid(n)
	return
}

// deferredChange returns x as it was when `return x` ran.
func deferredChange() pair {
	x := made(3)
	defer func() { x.a = 1000 }()
	return x
}

// namedDeferredChange returns its named result as the deferred call left it.
func namedDeferredChange() (x pair) {
	x = made(3)
	defer func() { x.a = 2000 }()
	return x
}

// recovered returns what the deferred call sets after a panic.
func recovered() (x pair) {
	defer func() {
		recover()
		x.name = "recovered"
	}()
	x = made(2)
	panic("stop")
}

// recoveredUnnamed returns the zero value after a panic.
func recoveredUnnamed() pair {
	defer func() { recover() }()
	panic("stop")
}

// seesShared reports the global that its caller assigns its result to.
func seesShared() pair {
	defer func() { fmt.Println("deferred call sees", shared.a, shared.name) }()
	return made(5)
}

// swapped reads the global its result is assigned to.
func swapped() pair { return pair{shared.b, shared.a, shared.name + "'"} }

// swappedThrough reads through a pointer to the variable its result is
// assigned to, after building part of the result.
func swappedThrough(p *pair) pair {
	var out pair
	out.a = p.b
	out.b = p.a
	out.name = p.name + "*"
	return out
}

func generic[T any](v T) [2]T { return [2]T{v, v} }

func main() {
	// Kept in a global, directly and through a pointer.
	global = relayTwice(4)
	p := made(5)
	globalPtr = &p
	fmt.Println(clobber(8) < 0, global, *globalPtr)

	// Captured by a goroutine.
	done := make(chan pair)
	q := made(6)
	go func() { done <- q }()
	fmt.Println(clobber(8) < 0, <-done)

	// Sent on a channel, appended, boxed, stored in a map.
	ch := make(chan pair, 2)
	ch <- made(7)
	ch <- relay(8)
	var list []pair
	list = append(list, made(9), relay(10))
	var boxed any = made(11)
	var stringer fmt.Stringer = &strings.Builder{}
	_ = stringer
	m := map[string]pair{}
	m["x"] = made(12)
	grids := map[int]grid{1: madeGrid(2)}
	fmt.Println(clobber(8) < 0, <-ch, <-ch, list, boxed, m["x"], grids[1][3][2])

	// Captured by a closure that outlives the frame that made it.
	keep := func() func() pair {
		r := made(13)
		return func() pair { return r }
	}()
	fmt.Println(clobber(8) < 0, keep())

	// Big results (past escape analysis's frame limit) and fields of a
	// result read at once.
	b := madeBig(3)
	fmt.Println(b[0], b[1023], madeBig(4)[512], made(14).b, madeGrid(3)[2][1])

	// Interface methods, by value and by pointer, func values, method
	// values and generic functions.
	makers := []maker{byValue{1}, &byPointer{}}
	for _, mk := range makers {
		fmt.Println(mk.make(3), mk.make(4))
	}
	f := made
	g := byValue{2}.make
	h := relay
	fmt.Println(f(2), g(2), h(2), generic(made(1)), generic[grid](madeGrid(1))[1][3])

	// Several results.
	r, err := withError(3)
	fmt.Println(r, err)
	r, err = withError(-1)
	fmt.Println(r, err)
	np, ng := named(2)
	fmt.Println(np, ng)

	// Deferred calls, panics and what they see.
	fmt.Println(deferredChange(), namedDeferredChange(), recovered(), recoveredUnnamed())
	shared = pair{1, 2, "before"}
	shared = seesShared()
	fmt.Println(shared)
	shared = pair{3, 4, "s"}
	shared = swapped()
	fmt.Println(shared)
	local := pair{5, 6, "l"}
	local = swappedThrough(&local)
	fmt.Println(local)
	arr := [3]int{1, 2, 3}
	arr = func(a *[3]int) [3]int { return [3]int{a[2], a[1], a[0]} }(&arr)
	fmt.Println(arr)

	// Through reflect: Call, and a function made by MakeFunc.
	out := reflect.ValueOf(relay).Call([]reflect.Value{reflect.ValueOf(5)})
	fmt.Println(out[0].Interface())
	var made2 func(int) (pair, error)
	fn := reflect.MakeFunc(reflect.TypeOf(made2), func(args []reflect.Value) []reflect.Value {
		n := int(args[0].Int())
		return []reflect.Value{reflect.ValueOf(made(n)), reflect.Zero(reflect.TypeOf((*error)(nil)).Elem())}
	})
	reflect.ValueOf(&made2).Elem().Set(fn)
	mr, merr := made2(4)
	fmt.Println(mr, merr)
}
