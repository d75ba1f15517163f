// A function literal that is only called (directly, or by a callee whose
// parameter does not leak, as sort.Search calls its f) keeps its closure
// object and the variables it captures in its function's frame
// (crates/codegen/src/escape.rs). Each shape here lets the closure or a
// captured variable escape instead, through a global, a result, a
// goroutine, a channel, a heap object, an interface, a slice, a callee
// that keeps its parameter (directly, through another closure, or deep in
// a recursion), or the literal's own body (`&x` kept, a goroutine
// started); had one been wrongly placed in a frame, clobber would
// overwrite it before it is used. Each function loops, so the inliner
// (which inlines only loop-free functions) leaves it a frame of its own to
// die. The closures that do stay in the frame are checked too: per
// iteration, nested, recursive.
package main

import (
	"fmt"
	"sort"
)

// clobber writes over the stack below its caller's frame.
func clobber(n int) int {
	var a [64]int
	for i := 0; i < len(a); i++ {
		a[i] = n*1000 + i
	}
	if n > 0 {
		return clobber(n-1) + a[n%64]
	}
	return a[3]
}

// search is sort.Search: f does not leak.
func search(n int, f func(int) bool) int {
	i, j := 0, n
	for i < j {
		h := int(uint(i+j) >> 1)
		if !f(h) {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}

func apply(f func()) {
	for i := 0; i < 1; i++ {
		f()
	}
}

func call(f func() *int) *int {
	var p *int
	for i := 0; i < 1; i++ {
		p = f()
	}
	return p
}

var (
	kept     func() int
	keptPtr  *int
	keptAny  any
	keptList []func() int
)

func keep(f func() int) { kept = f }

// wrap keeps f inside another closure.
func wrap(f func() int) {
	kept = func() int { return f() + 1000 }
}

// deep keeps f only at the bottom of a recursion.
func deep(n int, f func() int) {
	if n == 0 {
		kept = f
		return
	}
	deep(n-1, f)
}

func same(f func() int) func() int { return f }

type holder struct{ f func() int }

func searchInts(a []int, x int) int {
	n := 0
	for k := 0; k < 2; k++ {
		n += search(len(a), func(i int) bool { return a[i] >= x })
	}
	return n / 2
}

func perIteration(a []int) []int {
	var out []int
	for _, x := range a {
		y := x * 10
		out = append(out, search(100, func(i int) bool { return i >= y }))
	}
	return out
}

func nested(a []int, x int) int {
	total := 0
	for k := 0; k < 2; k++ {
		apply(func() {
			total += search(len(a), func(i int) bool { return a[i] >= x+k })
		})
	}
	return total
}

func recursive(n int) int {
	if n == 0 {
		return 0
	}
	r := 0
	for k := 0; k < 1; k++ {
		apply(func() { r = n + recursive(n-1) })
	}
	return r
}

func viaGlobal(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	keep(func() int { return x })
}

func viaReturn(x int) func() int {
	for i := 0; i < 1; i++ {
		x += i
	}
	return func() int { x++; return x }
}

func viaGoroutine(x int, start chan bool, done chan int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	go func() {
		<-start
		done <- x
	}()
}

func viaChannel(x int, ch chan func() int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	ch <- func() int { return x }
}

func viaHolder(x int) *holder {
	h := &holder{}
	for i := 0; i < 1; i++ {
		x += i
	}
	h.f = func() int { return x }
	return h
}

func viaInterface(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	keptAny = func() int { return x }
}

func viaSlice(x int) {
	for i := 0; i < 2; i++ {
		y := x + i
		keptList = append(keptList, func() int { return y })
	}
}

func viaWrap(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	wrap(func() int { return x })
}

func viaDeep(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	deep(3, func() int { return x })
}

func viaSame(x int) func() int {
	for i := 0; i < 1; i++ {
		x += i
	}
	return same(func() int { return x })
}

func viaLocal(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	f := func() int { return x }
	keep(f)
}

// The literal is only called, but its body keeps the address of x.
func viaBodyAddress(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	apply(func() { keptPtr = &x })
}

// The literal is only called, but its result (the address of x) is kept.
func viaBodyResult(x int) *int {
	for i := 0; i < 1; i++ {
		x += i
	}
	return call(func() *int { return &x })
}

// The literal is only called, but a goroutine it starts keeps x.
func viaBodyGoroutine(x int, start chan bool, done chan int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	apply(func() {
		go func() {
			<-start
			done <- x
		}()
	})
}

// The literal is only called, but a closure it makes is kept.
func viaBodyClosure(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	apply(func() { kept = func() int { return x } })
}

// A scalar whose address is passed to a callee that keeps it.
func keepAddress(p *int) { keptPtr = p }

func readAddress(p *int) int { return *p + 1 }

func viaAddress(x int) int {
	for i := 0; i < 1; i++ {
		x += i
	}
	n := readAddress(&x)
	keepAddress(&x)
	return n
}

// A pointer method on a scalar keeps its receiver.
type tally int

func (t *tally) keep() { keptTally = t }

func (t *tally) add(n int) { *t += tally(n) }

var keptTally *tally

func viaMethod(x int) int {
	t := tally(x)
	for i := 0; i < 1; i++ {
		t.add(i + 1)
	}
	n := int(t)
	apply(func() { t.keep() })
	return n
}

func viaMethodValue(x int) {
	t := tally(x)
	for i := 0; i < 1; i++ {
		t.add(i)
	}
	apply(t.keep)
}

// The literal is only called, but its body hands &x to a callee that
// keeps it.
func viaBodyCallee(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	apply(func() { keepAddress(&x) })
}

// The captured value is returned (copied), never its address: x may stay
// in the frame, and the result must still be right.
func found(a []int, x int) bool {
	ok := false
	for i := 0; i < 1; i++ {
		apply(func() { ok = search(len(a), func(j int) bool { return a[j] >= x }) < len(a) })
	}
	return ok
}

func main() {
	a := []int{1, 3, 5, 7, 9, 11}
	fmt.Println("searchInts:", searchInts(a, 7), searchInts(a, 0), searchInts(a, 12))
	fmt.Println("sort.SearchInts:", sort.SearchInts(a, 8), sort.SearchStrings([]string{"a", "c"}, "b"))
	fmt.Println("perIteration:", perIteration([]int{1, 2, 3}))
	fmt.Println("nested:", nested(a, 5))
	fmt.Println("recursive:", recursive(10))

	viaGlobal(7)
	clobber(8)
	fmt.Println("global:", kept())

	f := viaReturn(20)
	clobber(8)
	fmt.Println("return:", f(), f())

	start, done := make(chan bool), make(chan int)
	viaGoroutine(30, start, done)
	clobber(8)
	start <- true
	fmt.Println("goroutine:", <-done)

	ch := make(chan func() int, 1)
	viaChannel(40, ch)
	clobber(8)
	fmt.Println("channel:", (<-ch)())

	h := viaHolder(50)
	clobber(8)
	fmt.Println("holder:", h.f())

	viaInterface(60)
	clobber(8)
	fmt.Println("interface:", keptAny.(func() int)())

	viaSlice(70)
	clobber(8)
	fmt.Println("slice:", keptList[0](), keptList[1]())

	viaWrap(80)
	clobber(8)
	fmt.Println("wrap:", kept())

	viaDeep(90)
	clobber(8)
	fmt.Println("deep:", kept())

	g := viaSame(100)
	clobber(8)
	fmt.Println("same:", g())

	viaLocal(110)
	clobber(8)
	fmt.Println("local:", kept())

	viaBodyAddress(120)
	clobber(8)
	fmt.Println("body address:", *keptPtr)

	p := viaBodyResult(130)
	clobber(8)
	fmt.Println("body result:", *p)

	viaBodyGoroutine(140, start, done)
	clobber(8)
	start <- true
	fmt.Println("body goroutine:", <-done)

	viaBodyClosure(150)
	clobber(8)
	fmt.Println("body closure:", kept())

	n := viaAddress(160)
	clobber(8)
	fmt.Println("address:", n, *keptPtr)

	n = viaMethod(170)
	clobber(8)
	fmt.Println("method:", n, *keptTally)

	viaMethodValue(180)
	clobber(8)
	fmt.Println("method value:", *keptTally)

	viaBodyCallee(190)
	clobber(8)
	fmt.Println("body callee:", *keptPtr)

	fmt.Println("found:", found(a, 9), found(a, 12))
}
