// Escape analysis keeps a value in its function's frame only when nothing
// can hold its address after the function returns
// (crates/codegen/src/escape.rs). Each shape here lets a value escape
// through the same code that keeps a strings.Builder-like value (pointer
// methods, a self-pointer hidden in a uintptr by `noescape`) or a
// `string(r)` on the stack elsewhere: had one been wrongly placed in a
// frame, clobber would overwrite it before it is printed. Each function
// loops (over its words or runes), so the inliner, which inlines only
// loop-free functions, leaves it a frame of its own to die; an analysis
// made to keep the uintptr shapes in the frame on purpose crashes this
// program, one made to keep every string(r) there prints garbage. The values that
// do stay on the stack are checked too (the UTF-8 of every kind of rune,
// the copy check of a Builder copied by value).
package main

import (
	"fmt"
	"strings"
	"unsafe"
)

type builder struct {
	addr *builder
	buf  []byte
}

func noescape(p unsafe.Pointer) unsafe.Pointer {
	x := uintptr(p)
	return unsafe.Pointer(x ^ 0)
}

func (b *builder) copyCheck() {
	if b.addr == nil {
		b.addr = (*builder)(noescape(unsafe.Pointer(b)))
	} else if b.addr != b {
		panic("illegal use of non-zero builder copied by value")
	}
}

func (b *builder) WriteString(s string) {
	b.copyCheck()
	b.buf = append(b.buf, s...)
}

func (b *builder) String() string { return string(b.buf) }

// ok says the builder still finds itself where its self-pointer says.
func (b *builder) ok() bool { return b.addr == b }

var global *builder

func (b *builder) register() {
	b.copyCheck()
	global = b
}

type holder struct{ b *builder }

func (b *builder) into(h *holder) {
	b.copyCheck()
	h.b = b
}

func (b *builder) send(ch chan *builder) {
	b.copyCheck()
	ch <- b
}

func (b *builder) moved() *builder {
	return (*builder)(unsafe.Pointer(uintptr(unsafe.Pointer(b)) + 0))
}

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

func viaGlobal(words ...string) {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	b.register()
}

func viaReturn(words ...string) *builder {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	return &b
}

func viaHolder(words ...string) *holder {
	h := &holder{}
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	b.into(h)
	return h
}

func viaChannel(ch chan *builder, words ...string) {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	b.send(ch)
}

func viaClosure(words ...string) func() string {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	return func() string { return b.String() }
}

func viaGoroutine(start chan bool, done chan *builder, words ...string) {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	go b.send(done)
	<-start
}

func viaInterface(words ...string) fmt.Stringer {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	return &b
}

func viaUintptrArithmetic(words ...string) *builder {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	return b.moved()
}

func viaUnsafeAdd(words ...string) *builder {
	var b builder
	for _, w := range words {
		b.WriteString(w)
	}
	return (*builder)(unsafe.Add(unsafe.Pointer(&b), 0))
}

func viaStringsBuilder(words ...string) *strings.Builder {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w)
	}
	return &b
}

func local() string {
	var b builder
	b.WriteString("local ")
	b.WriteString("builder")
	return b.String()
}

func localStrings() string {
	var b strings.Builder
	b.Grow(8)
	b.WriteString("local ")
	b.WriteByte('s')
	b.WriteRune('é')
	return b.String()
}

func copiedStringsBuilder() (message string) {
	defer func() { message = fmt.Sprint(recover()) }()
	var b strings.Builder
	b.WriteString("a")
	c := b
	c.WriteString("b")
	return "no panic"
}

var lastRune string

type pair struct{ s string }

// Each takes several runes and loops over them: the inliner inlines only
// loop-free functions, and these must keep frames of their own.
func keepRune(rs ...rune) {
	for _, r := range rs {
		lastRune = string(r)
	}
}

func runeReturned(rs ...rune) (s string) {
	for _, r := range rs {
		s = string(r)
	}
	return s
}

func runeChannel(ch chan string, rs ...rune) {
	for _, r := range rs {
		ch <- string(r)
	}
}

func runeClosure(rs ...rune) (f func() string) {
	for _, r := range rs {
		s := string(r)
		f = func() string { return s }
	}
	return f
}

func identity(s string) string  { return s }
func tail(s string) string      { return s[1:] }
func set(dst *string, s string) { *dst = s }

func runeIdentity(rs ...rune) (s string) {
	for _, r := range rs {
		s = identity(string(r))
	}
	return s
}

func runeTail(rs ...rune) (s string) {
	for _, r := range rs {
		s = tail(string(r))
	}
	return s
}

func runeConcat(rs ...rune) (s string) {
	for _, r := range rs {
		s = "" + string(r)
	}
	return s
}

func runePair(rs ...rune) (p *pair) {
	for _, r := range rs {
		p = &pair{string(r)}
	}
	return p
}

func runeInterface(rs ...rune) (v any) {
	for _, r := range rs {
		v = string(r)
	}
	return v
}

func runeSet(rs ...rune) {
	for _, r := range rs {
		set(&lastRune, string(r))
	}
}

func runeMap(rs ...rune) map[string]int {
	m := map[string]int{}
	for _, r := range rs {
		m[string(r)] = 1
	}
	return m
}

func runeGoroutine(ch chan string, rs ...rune) {
	done := make(chan bool)
	for _, r := range rs {
		go func(s string) { <-done; ch <- s }(string(r))
	}
	close(done)
}

// Arrays sliced: the array leaks where the slice does.
var keptSlice []byte

func fillBytes(p []byte, word string) int { return copy(p, word) }

func sliceKept(words ...string) {
	for _, w := range words {
		var a [8]byte
		keptSlice = a[:fillBytes(a[:], w)]
	}
}

func sliceReturned(words ...string) (s []byte) {
	for _, w := range words {
		var a [8]byte
		s = identityBytes(a[:fillBytes(a[:], w)])
	}
	return s
}

func identityBytes(p []byte) []byte { return p }

func sliceAppended(words ...string) (s []byte) {
	for _, w := range words {
		var a [8]byte
		s = append(a[:0], w...)
	}
	return s
}

func sliceChannel(ch chan []byte, words ...string) {
	for _, w := range words {
		var a [8]byte
		ch <- a[:fillBytes(a[:], w)]
	}
}

func sliceInHolder(words ...string) (h *struct{ b []byte }) {
	h = &struct{ b []byte }{}
	for _, w := range words {
		var a [8]byte
		h.b = a[:fillBytes(a[:], w)]
	}
	return h
}

func sliceRead(words ...string) (n int) {
	for _, w := range words {
		var a [8]byte
		n += bytesIndex(a[:fillBytes(a[:], w)], 'b')
	}
	return n
}

func bytesIndex(s []byte, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// hexBytes reads s and keeps nothing: a string(r) passed to it stays on
// the stack.
func hexBytes(s string) string {
	out := ""
	for i := 0; i < len(s); i++ {
		out += fmt.Sprintf("%02x", s[i])
	}
	return out
}

func main() {
	viaGlobal("global")
	clobber(8)
	fmt.Println(global.String(), global.ok())

	r := viaReturn("returned")
	clobber(8)
	fmt.Println(r.String(), r.ok())

	h := viaHolder("holder")
	clobber(8)
	fmt.Println(h.b.String(), h.b.ok())

	ch := make(chan *builder, 1)
	viaChannel(ch, "channel")
	clobber(8)
	c := <-ch
	fmt.Println(c.String(), c.ok())

	f := viaClosure("closure")
	clobber(8)
	fmt.Println(f())

	start := make(chan bool)
	done := make(chan *builder)
	go func() { start <- true }()
	viaGoroutine(start, done, "goroutine")
	clobber(8)
	g := <-done
	fmt.Println(g.String(), g.ok())

	s := viaInterface("interface")
	clobber(8)
	fmt.Println(s.String())

	u := viaUintptrArithmetic("uintptr arithmetic")
	clobber(8)
	fmt.Println(u.String(), u.ok())

	a := viaUnsafeAdd("unsafe.Add")
	clobber(8)
	fmt.Println(a.String(), a.ok())

	sb := viaStringsBuilder("strings.Builder")
	clobber(8)
	sb.WriteString(" grown")
	fmt.Println(sb.String())

	fmt.Println(local(), localStrings())
	fmt.Println(copiedStringsBuilder())

	keepRune('世')
	clobber(8)
	fmt.Println(lastRune)
	returned := runeReturned('界')
	clobber(8)
	fmt.Println(returned)
	runes := make(chan string, 1)
	runeChannel(runes, 'é')
	clobber(8)
	fmt.Println(<-runes)
	closure := runeClosure('ü')
	clobber(8)
	fmt.Println(closure())
	identical := runeIdentity('ø')
	concatenated := runeConcat('ß')
	tailed := runeTail('ñ')
	paired := runePair('λ')
	boxed := runeInterface('ж')
	runeSet('中')
	m := runeMap('文')
	runeGoroutine(runes, '字')
	clobber(8)
	for k := range m {
		fmt.Println(identical, concatenated, hexBytes(tailed), paired.s, boxed, lastRune, k, <-runes)
	}

	for _, r := range []int64{0, 'a', 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdfff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff, 0x110000, -1, 1 << 40} {
		onStack := hexBytes(string(rune(r)))
		fromInt64 := hexBytes(string(r))
		heap := string(r)
		lastRune = heap
		fmt.Println(r, onStack, fromInt64, hexBytes(heap), len(string(r)), string(r) == heap)
	}
	fmt.Println(hexBytes(string(uint64(1<<63))), hexBytes(string(byte(200))), hexBytes(string(int8(-1))))
	fmt.Println(strings.IndexRune("test世界", '世'), strings.IndexRune("test世界", '界'), strings.IndexRune("test", 0xd800))
	fmt.Println(strings.ContainsRune("straße", 'ß'), strings.Index("a\uFFFDb", string(rune(-1))))

	sliceKept("kept")
	returnedSlice := sliceReturned("returned")
	appendedSlice := sliceAppended("appended")
	slices := make(chan []byte, 1)
	sliceChannel(slices, "channel")
	held := sliceInHolder("holder")
	clobber(8)
	fmt.Println(string(keptSlice), string(returnedSlice), string(appendedSlice), string(<-slices), string(held.b), sliceRead("abc", "xb"))
}
