// A pointer (or slice) held only in local variables leaks only if one of
// those variables' values does (crates/codegen/src/escape.rs follows
// assignments between register locals, as Go's escape analysis does). Each
// shape here lets the address reach the heap through one or more locals:
// copied, resliced in a loop, chosen on a branch, swapped, returned by a
// callee that returns its parameter through a local, sent, boxed. Had one
// been wrongly placed in a frame, clobber would overwrite it before it is
// printed. Each function loops, so the inliner (which inlines only
// loop-free functions) leaves it a frame of its own to die. The values
// only read through their locals stay in the frame and are checked too.
package main

import (
	"fmt"
	"unsafe"
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

type pair struct{ x, y int }

var (
	keptPair  *pair
	keptInts  []int
	keptBytes []byte
	keptAny   any
)

func viaCopies(x int) {
	p := pair{x, x + 1}
	for i := 0; i < 1; i++ {
		p.x += i
	}
	q := &p
	r := q
	keptPair = r
}

func viaReslices(x int) []int {
	var arr [8]int
	for i := range arr {
		arr[i] = x + i
	}
	s := arr[:]
	for len(s) > 4 {
		s = s[1:]
	}
	t := s
	return t
}

func viaBranch(x int, second bool) {
	a := pair{x, 0}
	b := pair{x + 1, 0}
	p := &a
	for i := 0; i < 1; i++ {
		if second {
			p = &b
		}
	}
	keptPair = p
}

func viaSwap(x int) {
	a := pair{x, 0}
	b := pair{x + 1, 0}
	p, q := &a, &b
	for i := 0; i < 1; i++ {
		p, q = q, p
	}
	keptPair = q
	fmt.Println("swap read:", p.x)
}

func same(p *pair) *pair {
	q := p
	for i := 0; i < 1; i++ {
		q.y++
	}
	return q
}

func viaCallee(x int) *pair {
	v := pair{x, 0}
	for i := 0; i < 1; i++ {
		v.x += i
	}
	w := same(&v)
	return w
}

func viaChannel(x int, ch chan []int) {
	var arr [4]int
	for i := range arr {
		arr[i] = x + i
	}
	s := arr[1:]
	ch <- s
}

func viaInterface(x int) {
	v := pair{x, x}
	for i := 0; i < 1; i++ {
		v.y += i
	}
	p := &v
	keptAny = p
}

// The header of a slice variable written through an unsafe pointer, as
// os.File.WriteString does: the slice's value is kept, its own storage is
// not.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

type stringHeader struct {
	data unsafe.Pointer
	len  int
}

func viaHeader(s string) {
	var b []byte
	for i := 0; i < 1; i++ {
		hdr := (*sliceHeader)(unsafe.Pointer(&b))
		hdr.data = (*stringHeader)(unsafe.Pointer(&s)).data
		hdr.len = len(s)
		hdr.cap = len(s)
	}
	keptBytes = b
}

// Only read through locals: stays in the frame.
func sum(x int) int {
	var arr [8]int
	for i := range arr {
		arr[i] = x + i
	}
	s := arr[2:]
	t := s[:3]
	p := &arr[7]
	total := *p
	for _, v := range t {
		total += v
	}
	return total
}

func main() {
	viaCopies(10)
	clobber(8)
	fmt.Println("copies:", *keptPair)

	r := viaReslices(20)
	clobber(8)
	fmt.Println("reslices:", r)

	viaBranch(30, true)
	clobber(8)
	fmt.Println("branch:", *keptPair)
	viaBranch(40, false)
	clobber(8)
	fmt.Println("branch:", *keptPair)

	viaSwap(50)
	clobber(8)
	fmt.Println("swap:", *keptPair)

	w := viaCallee(60)
	clobber(8)
	fmt.Println("callee:", *w)

	ch := make(chan []int, 1)
	viaChannel(70, ch)
	clobber(8)
	fmt.Println("channel:", <-ch)

	viaInterface(80)
	clobber(8)
	fmt.Println("interface:", *keptAny.(*pair))

	viaHeader("from a string")
	clobber(8)
	fmt.Println("header:", string(keptBytes))

	fmt.Println("sum:", sum(90))
}
