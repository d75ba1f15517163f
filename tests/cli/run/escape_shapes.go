// Escape analysis keeps a value in its function's frame only when nothing
// can hold its address after the function returns
// (crates/codegen/src/escape.rs). Each shape here lets a value escape
// through the same code that keeps a strings.Builder-like value (pointer
// methods, a self-pointer hidden in a uintptr by `noescape`) or a
// `string(r)` on the stack elsewhere: had one been wrongly placed in a
// frame, clobber would overwrite it before it is printed. The values that
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
	for i := range a {
		a[i] = n*1000 + i
	}
	if n > 0 {
		return clobber(n-1) + a[n%64]
	}
	return a[3]
}

func viaGlobal() {
	var b builder
	b.WriteString("global")
	b.register()
}

func viaReturn() *builder {
	var b builder
	b.WriteString("returned")
	return &b
}

func viaHolder() *holder {
	h := &holder{}
	var b builder
	b.WriteString("holder")
	b.into(h)
	return h
}

func viaChannel(ch chan *builder) {
	var b builder
	b.WriteString("channel")
	b.send(ch)
}

func viaClosure() func() string {
	var b builder
	b.WriteString("closure")
	return func() string { return b.String() }
}

func viaGoroutine(start chan bool, done chan *builder) {
	var b builder
	b.WriteString("goroutine")
	go b.send(done)
	<-start
}

func viaInterface() fmt.Stringer {
	var b builder
	b.WriteString("interface")
	return &b
}

func viaUintptrArithmetic() *builder {
	var b builder
	b.WriteString("uintptr arithmetic")
	return b.moved()
}

func viaUnsafeAdd() *builder {
	var b builder
	b.WriteString("unsafe.Add")
	return (*builder)(unsafe.Add(unsafe.Pointer(&b), 0))
}

func viaStringsBuilder() *strings.Builder {
	var b strings.Builder
	b.WriteString("strings.Builder")
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

func keepRune(r rune)                    { lastRune = string(r) }
func runeReturned(r rune) string         { return string(r) }
func runeChannel(r rune, ch chan string) { ch <- string(r) }
func runeClosure(r rune) func() string {
	s := string(r)
	return func() string { return s }
}
func identity(s string) string      { return s }
func tail(s string) string          { return s[1:] }
func set(dst *string, s string)     { *dst = s }
func runeIdentity(r rune) string    { return identity(string(r)) }
func runeTail(r rune) string        { return tail(string(r)) }
func runeConcat(r rune) string      { return "" + string(r) }
func runePair(r rune) *pair         { return &pair{string(r)} }
func runeInterface(r rune) any      { return string(r) }
func runeSet(r rune)                { set(&lastRune, string(r)) }
func runeMap(r rune) map[string]int { return map[string]int{string(r): 1} }
func runeGoroutine(r rune, ch chan string) {
	done := make(chan bool)
	go func(s string) { <-done; ch <- s }(string(r))
	close(done)
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
	viaGlobal()
	clobber(8)
	fmt.Println(global.String(), global.ok())

	r := viaReturn()
	clobber(8)
	fmt.Println(r.String(), r.ok())

	h := viaHolder()
	clobber(8)
	fmt.Println(h.b.String(), h.b.ok())

	ch := make(chan *builder, 1)
	viaChannel(ch)
	clobber(8)
	c := <-ch
	fmt.Println(c.String(), c.ok())

	f := viaClosure()
	clobber(8)
	fmt.Println(f())

	start := make(chan bool)
	done := make(chan *builder)
	go func() { start <- true }()
	viaGoroutine(start, done)
	clobber(8)
	g := <-done
	fmt.Println(g.String(), g.ok())

	s := viaInterface()
	clobber(8)
	fmt.Println(s.String())

	u := viaUintptrArithmetic()
	clobber(8)
	fmt.Println(u.String(), u.ok())

	a := viaUnsafeAdd()
	clobber(8)
	fmt.Println(a.String(), a.ok())

	sb := viaStringsBuilder()
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
	runeChannel('é', runes)
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
	runeGoroutine('字', runes)
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
}
