// Escape analysis follows what is stored in a struct or array variable's
// fields as its contents (crates/codegen/src/escape.rs, "dereference
// levels"): `s.d = buf[:]` keeps `buf` in the frame while `s` is only read
// through, as strconv's genericFtoa does with `digs.d = buf[:]`. Each
// shape here lets such contents out another way (a callee keeping `*p`, a
// returned copy, a goroutine, a kept closure, a channel, an interface, a
// global copy, copy(), append(s, t...), a pointer loaded and returned, a
// field of a field, an array of pointers): had the stored value been kept
// in a frame, clobber would overwrite it before it is printed. Each
// function loops so the inliner (loop-free functions only) leaves it a
// frame of its own to die. The shapes that do stay in the frame are
// checked too.
package main

import "fmt"

type digits struct {
	d  []byte
	nd int
}

type pointers struct {
	p *[4]int
	n int
}

type outer struct {
	in   pointers
	name string
}

var kept []byte
var keptDigits digits
var keptPointer *[4]int
var keptAny interface{}
var keptFunc func() []byte
var done = make(chan bool)
var sent = make(chan digits, 1)

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

func fill(d *digits, from byte) {
	for i := range d.d {
		d.d[i] = from + byte(i)
	}
	d.nd = len(d.d)
}

func keepContents(d *digits) { kept = d.d }

func text(d digits) string { return string(d.d[:d.nd]) }

// onStack: buf is only written and read through &digs and a copy.
func onStack(from byte) string {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	return text(digs)
}

func viaCallee(from byte) {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	keepContents(&digs)
}

func returned(from byte) digits {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	return digs
}

func viaGoroutine(from byte) {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	go func() {
		kept = digs.d
		done <- true
	}()
	<-done
}

func viaClosure(from byte) {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	keptFunc = func() []byte { return digs.d }
}

func viaChannel(from byte) {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	sent <- digs
}

func viaInterface(from byte) {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	keptAny = digs
}

func viaGlobalCopy(from byte) {
	var buf [8]byte
	var digs digits
	digs.d = buf[:]
	fill(&digs, from)
	other := digs
	keptDigits = other
}

func viaCopy(from int) {
	var x [4]int
	for i := range x {
		x[i] = from + i
	}
	var src [1]*[4]int
	src[0] = &x
	var dst [1]*[4]int
	copy(dst[:], src[:])
	keptPointer = dst[0]
}

func viaAppend(from int) []*[4]int {
	var x [4]int
	for i := range x {
		x[i] = from + i
	}
	var src [1]*[4]int
	src[0] = &x
	return append([]*[4]int(nil), src[:]...)
}

func load(p *pointers) *[4]int { return p.p }

func viaLoadedPointer(from int) *[4]int {
	var x [4]int
	for i := range x {
		x[i] = from + i
	}
	var ps pointers
	ps.p = &x
	return load(&ps)
}

func viaFieldOfField(from int) {
	var x [4]int
	for i := range x {
		x[i] = from + i
	}
	var o outer
	o.in.p = &x
	o.name = "o"
	keptPointer = o.in.p
}

func viaArrayOfPointers(from int) *[4]int {
	var x [4]int
	for i := range x {
		x[i] = from + i
	}
	var arr [3]*[4]int
	arr[1] = &x
	return arr[1]
}

// readOnly: the pointer stored in ps is only read through.
func readOnly(from int) int {
	var x [4]int
	for i := range x {
		x[i] = from + i
	}
	ps := pointers{p: &x, n: 2}
	sum := 0
	for i := 0; i < ps.n; i++ {
		sum += ps.p[i]
	}
	return sum
}

func main() {
	fmt.Println(onStack('a'), onStack('k'))
	viaCallee('a')
	clobber(8)
	fmt.Println(string(kept))
	d := returned('b')
	clobber(8)
	fmt.Println(text(d))
	viaGoroutine('c')
	clobber(8)
	fmt.Println(string(kept))
	viaClosure('d')
	clobber(8)
	fmt.Println(string(keptFunc()))
	viaChannel('e')
	clobber(8)
	fmt.Println(text(<-sent))
	viaInterface('f')
	clobber(8)
	fmt.Println(text(keptAny.(digits)))
	viaGlobalCopy('g')
	clobber(8)
	fmt.Println(text(keptDigits))
	viaCopy(10)
	clobber(8)
	fmt.Println(*keptPointer)
	appended := viaAppend(20)
	clobber(8)
	fmt.Println(*appended[0])
	loaded := viaLoadedPointer(30)
	clobber(8)
	fmt.Println(*loaded)
	viaFieldOfField(40)
	clobber(8)
	fmt.Println(*keptPointer)
	fromArray := viaArrayOfPointers(50)
	clobber(8)
	fmt.Println(*fromArray)
	fmt.Println(readOnly(60))
}
