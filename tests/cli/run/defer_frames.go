// A `defer` that runs at most once per call (outside loops, in a function
// without `goto`) keeps its record, the closure object and the
// temporaries holding the call's evaluated operands, in its function's
// frame (crates/codegen/src/escape.rs); a deferred call runs before the
// frame dies, on return or in the frame's landing after a panic. Each
// shape here checks that the operands are the ones evaluated at the
// `defer`, and that what a deferred call keeps (a pointer, a closure that
// is also stored elsewhere, a closure made in the deferred body, the
// address of a variable a deferred literal captures) still escapes: deferred calls run on return, in a panic recovered there or
// further up, under runtime.Goexit, in recursion, in loops and around a
// `goto` (those stay on the heap), with a collection in between. Had a
// kept value been wrongly placed in a frame, clobber would overwrite it
// before it is used. Each function loops, so the inliner (which inlines
// only loop-free functions) leaves it a frame of its own.
package main

import (
	"fmt"
	"runtime"
	"strings"
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

var log []string

func record(format string, args ...any) {
	log = append(log, fmt.Sprintf(format, args...))
}

func flush(name string) {
	fmt.Printf("%s: %s\n", name, strings.Join(log, ", "))
	log = nil
}

type point struct{ x, y int }

var (
	keptPoint *point
	keptInt   *int
	keptFunc  func() int
)

func keepPoint(p *point) { keptPoint = p }

func keepInt(p *int) { keptInt = p }

func show(p *point) { record("show %d %d", p.x, p.y) }

// Operands are evaluated at the defer; the calls run last first.
func operands(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x + 1}
	defer record("first %d %d", x, v.y)
	defer show(&v)
	x += 100
	v.y = 7
	defer record("second %d", x)
	clobber(8)
}

// The deferred call keeps its operand.
func keepsOperand(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	defer keepPoint(&v)
	n := x * 2
	defer keepInt(&n)
}

// The deferred closure is also stored elsewhere.
func storedElsewhere(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	f := func() int { x++; return x }
	keptFunc = f
	defer f()
}

// The deferred literal makes a closure that is kept.
func keptFromBody(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	defer func() { keptFunc = func() int { return x * 3 } }()
}

// A deferred literal keeps the address of a variable it captures.
func literalKeeps(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	n := x * 5
	defer func() { keptInt = &n }()
	defer func() { n++ }()
}

// A panic deep below: the deferred calls run in the landing, one of them
// recovers.
func deepPanic(n int) int {
	if n == 0 {
		clobber(8)
		panic("deep")
	}
	return deepPanic(n-1) + 1
}

func recovers(x int) (r int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, -x}
	defer func() {
		if e := recover(); e != nil {
			record("recovered %v", e)
			r = v.x * 10
		}
	}()
	defer show(&v)
	defer record("operand %d", x)
	v.x++
	return deepPanic(20)
}

// The panic is recovered by the caller: this frame's deferred calls run
// in its own landing first.
func passesOn(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	defer show(&v)
	defer keepPoint(&v)
	deepPanic(10)
}

func catches(x int) (caught any) {
	for i := 0; i < 1; i++ {
		x += i
	}
	defer func() { caught = recover() }()
	passesOn(x)
	return nil
}

// runtime.Goexit runs the goroutine's deferred calls.
func exits(x int, done chan int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	defer func() { done <- x }()
	defer record("goexit %d", x)
	v := point{x, x}
	defer keepPoint(&v)
	clobber(8)
	runtime.Goexit()
}

// Each level's deferred call has its own operands.
func recursive(n int) int {
	for i := 0; i < 1; i++ {
		n += i
	}
	if n == 0 {
		return 0
	}
	defer record("level %d", n)
	return recursive(n-1) + n
}

// Deferred in a loop and around a goto: one record per pass (these stay
// on the heap).
func looped(x int) {
	for i := 0; i < 3; i++ {
		v := point{x + i, i}
		defer show(&v)
		defer record("loop %d", i)
		defer func() { record("literal %d %d", i, v.x) }()
	}
	i := 0
again:
	defer record("goto %d", i)
	if i < 2 {
		i++
		goto again
	}
}

// Named results changed by a deferred call.
func doubled(x int) (r int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	defer func() { r *= 2 }()
	return x + 1
}

// A deferred method of a local value.
type counter struct{ n int }

func (c *counter) report() { record("counter %d", c.n) }

func method(x int) {
	var c counter
	for i := 0; i < x; i++ {
		c.n++
	}
	defer c.report()
	c.n += 100
}

// The only reference to a heap object is the deferred call's operand,
// across a collection.
func collected(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	defer show(&point{x, x * 2})
	defer record("%s", strings.Repeat("ab", x))
	for i := 0; i < 1000; i++ {
		_ = make([]byte, 64)
	}
	runtime.GC()
	for i := 0; i < 1000; i++ {
		_ = make([]int, 8)
	}
}

func main() {
	operands(1)
	flush("operands")

	keepsOperand(2)
	clobber(8)
	fmt.Println("keeps operand:", *keptPoint, *keptInt)

	storedElsewhere(3)
	clobber(8)
	fmt.Println("stored elsewhere:", keptFunc(), keptFunc())

	keptFromBody(4)
	clobber(8)
	fmt.Println("kept from body:", keptFunc())

	literalKeeps(11)
	clobber(8)
	fmt.Println("literal keeps:", *keptInt)

	fmt.Println("recovers:", recovers(5))
	flush("recovers")

	fmt.Println("catches:", catches(6))
	clobber(8)
	fmt.Println("kept after panic:", *keptPoint)
	flush("catches")

	done := make(chan int)
	go exits(7, done)
	fmt.Println("goexit:", <-done)
	clobber(8)
	fmt.Println("kept after goexit:", *keptPoint)
	flush("goexit")

	fmt.Println("recursive:", recursive(3))
	flush("recursive")

	looped(10)
	flush("looped")

	fmt.Println("doubled:", doubled(8))

	method(9)
	flush("method")

	collected(3)
	flush("collected")
}
