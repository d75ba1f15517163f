// A parameter that a function only returns ("leaks to result", as
// strconv.AppendInt's dst) escapes through a call only where the call's
// result does (crates/codegen/src/escape.rs). Each shape here lets the
// result escape: stored in a global, returned, captured by a goroutine or
// a closure that is kept, sent on a channel, stored into a heap object,
// boxed in an interface, passed on to a callee that keeps it, returned in
// the second of two results, through named results and a bare return,
// `return f()` forwarding two results, a method returning its receiver,
// chains of such calls. Had the argument been wrongly placed in its
// caller's frame, clobber would overwrite it before it is used. Each
// function loops, so the inliner (which inlines only loop-free functions)
// leaves it a frame of its own to die. The arguments that do stay in the
// frame (the result discarded, or only read) are checked too.
package main

import (
	"fmt"
	"strconv"
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

type point struct{ x, y int }

func same(p *point) *point {
	for i := 0; i < 1; i++ {
		p.x += i
	}
	return p
}

// two returns its parameter first, sixth returns it second.
func two(p *point) (*point, int) {
	n := 0
	for i := 0; i < 1; i++ {
		n += p.x
	}
	return p, n
}

func second(p *point) (int, *point) {
	n := 0
	for i := 0; i < 1; i++ {
		n += p.y
	}
	return n, p
}

// named returns its parameter through a named result and a bare return.
func named(p *point) (r *point, n int) {
	for i := 0; i < 1; i++ {
		r = p
		n = p.x
	}
	return
}

// forward is `return f()` of two results.
func forward(p *point) (*point, int) {
	for i := 0; i < 1; i++ {
		p.y++
	}
	return two(p)
}

// grow is AppendInt's shape: dst's array is returned when it has room.
func grow(dst []byte, n int) []byte {
	for i := 0; i < n; i++ {
		dst = append(dst, byte('a'+i))
	}
	return dst
}

type buffer struct{ b [8]byte }

func (b *buffer) self() *buffer {
	for i := 0; i < 1; i++ {
		b.b[i] = 'z'
	}
	return b
}

// kept keeps what it is given; both results keep it too.
func kept(p *point) { keptPoint = p }

func keepBoth(p *point, n int) {
	keptPoint = p
	keptN = n
}

var (
	keptPoint  *point
	keptN      int
	keptBytes  []byte
	keptBuffer *buffer
	keptAny    any
	keptFunc   func() int
)

type holder struct{ p *point }

func viaGlobal(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	keptPoint = same(&v)
}

func viaReturn(x int) *point {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	return same(&v)
}

func viaLocal(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	q := same(&v)
	r := same(q)
	keptPoint = r
}

func viaGoroutine(x int, start chan bool, done chan int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	q := same(&v)
	go func() {
		<-start
		done <- q.x
	}()
}

func viaClosure(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	q := same(&v)
	keptFunc = func() int { return q.x }
}

func viaChannel(x int, ch chan *point) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	ch <- same(&v)
}

func viaHeap(x int) *holder {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	h := &holder{}
	h.p = same(&v)
	return h
}

func viaInterface(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	keptAny = same(&v)
}

func viaCallee(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	kept(same(&v))
}

func viaChain(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	keptPoint = same(same(same(&v)))
}

func viaTuple(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	p, n := two(&v)
	keptPoint = p
	keptN = n
}

func viaSecond(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	_, p := second(&v)
	keptPoint = p
}

func viaNamed(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	p, _ := named(&v)
	keptPoint = p
}

func viaForward(x int) *point {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	p, _ := forward(&v)
	return p
}

// forwardSecond is `return f()` where the parameter comes back second:
// its argument leaks where the caller's second result does.
func forwardSecond(p *point) (int, *point) {
	for i := 0; i < 1; i++ {
		p.x++
	}
	return second(p)
}

func viaForwardSecond(x int) *point {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	_, p := forwardSecond(&v)
	return p
}

// The two results passed straight on as arguments.
func viaSpread(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x}
	keepBoth(two(&v))
}

func viaSlice(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	var buf [16]byte
	buf[0] = byte('0' + x)
	keptBytes = grow(buf[:1], 3)
}

func viaMethod(x int) {
	for i := 0; i < 1; i++ {
		x += i
	}
	var b buffer
	b.b[1] = byte('0' + x)
	keptBuffer = b.self()
}

// The standard library's own shape: AppendInt into a local array, kept.
func viaAppendInt(x int64) {
	for i := 0; i < 1; i++ {
		x += int64(i)
	}
	var buf [32]byte
	keptBytes = strconv.AppendInt(buf[:0], x, 10)
}

// The result is only read or discarded: the argument may stay in the
// frame, and the values must still be right.
func readOnly(x int) int {
	for i := 0; i < 1; i++ {
		x += i
	}
	v := point{x, x + 1}
	same(&v)
	p, n := two(&v)
	_, q := second(&v)
	var buf [16]byte
	b := grow(buf[:0], 4)
	s := strconv.AppendInt(buf[:0], int64(x), 10)
	return p.x + n + q.y + len(b) + len(s)
}

func main() {
	viaGlobal(1)
	clobber(8)
	fmt.Println("global:", *keptPoint)

	p := viaReturn(2)
	clobber(8)
	fmt.Println("return:", *p)

	viaLocal(3)
	clobber(8)
	fmt.Println("local:", *keptPoint)

	start, done := make(chan bool), make(chan int)
	viaGoroutine(4, start, done)
	clobber(8)
	start <- true
	fmt.Println("goroutine:", <-done)

	viaClosure(5)
	clobber(8)
	fmt.Println("closure:", keptFunc())

	ch := make(chan *point, 1)
	viaChannel(6, ch)
	clobber(8)
	fmt.Println("channel:", *<-ch)

	h := viaHeap(7)
	clobber(8)
	fmt.Println("heap:", *h.p)

	viaInterface(8)
	clobber(8)
	fmt.Println("interface:", *keptAny.(*point))

	viaCallee(9)
	clobber(8)
	fmt.Println("callee:", *keptPoint)

	viaChain(10)
	clobber(8)
	fmt.Println("chain:", *keptPoint)

	viaTuple(11)
	clobber(8)
	fmt.Println("tuple:", *keptPoint, keptN)

	viaSecond(12)
	clobber(8)
	fmt.Println("second:", *keptPoint)

	viaNamed(13)
	clobber(8)
	fmt.Println("named:", *keptPoint)

	p = viaForward(14)
	clobber(8)
	fmt.Println("forward:", *p)

	p = viaForwardSecond(16)
	clobber(8)
	fmt.Println("forward second:", *p)

	viaSpread(15)
	clobber(8)
	fmt.Println("spread:", *keptPoint, keptN)

	viaSlice(6)
	clobber(8)
	fmt.Println("slice:", string(keptBytes))

	viaMethod(7)
	clobber(8)
	fmt.Println("method:", string(keptBuffer.b[:2]))

	viaAppendInt(-1234)
	clobber(8)
	fmt.Println("AppendInt:", string(keptBytes))

	fmt.Println("read only:", readOnly(20))
}
