// testing.AllocsPerRun and runtime.MemStats count allocations as Go does
// where both compilers allocate the same objects. (bufio's ReadString is
// not here: its local strings.Builder escapes under g2n, one allocation
// more than Go's, see docs/stdlib.md.)
package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

type node struct{ l, r *node }

var (
	sink  *node
	bytes []byte
	text  string
	table map[string]int
)

type counter struct{ n int }

func (c *counter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

func main() {
	fmt.Println("new node:", testing.AllocsPerRun(100, func() { sink = &node{} }))
	fmt.Println("two nodes:", testing.AllocsPerRun(100, func() { sink = &node{l: &node{}} }))
	fmt.Println("make:", testing.AllocsPerRun(100, func() { bytes = make([]byte, 100) }))
	fmt.Println("nothing:", testing.AllocsPerRun(100, func() {}))
	world := "world"
	fmt.Println("concatenation:", testing.AllocsPerRun(100, func() { text = "hello, " + world }))
	fmt.Println("append growing twice:", testing.AllocsPerRun(100, func() {
		bytes = append(make([]byte, 0, 8), "0123456789abcdef0123456789"...)
	}))

	var b strings.Builder
	fmt.Println("Builder.Grow:", testing.AllocsPerRun(100, func() {
		b.Reset()
		b.Grow(1000)
		b.WriteString("x")
	}))

	// io's TestMultiWriter_WriteStringSingleAlloc.
	var c1, c2 counter
	w := io.MultiWriter(&c1, &c2)
	fmt.Println("MultiWriter.WriteString:", testing.AllocsPerRun(100, func() {
		io.WriteString(w, "foo")
	}))

	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.Mallocs
	for i := 0; i < 1000; i++ {
		sink = &node{}
	}
	runtime.GC()
	runtime.ReadMemStats(&m)
	fmt.Println(m.Mallocs-before >= 1000, m.Frees >= 900, m.HeapObjects == m.Mallocs-m.Frees)
}
