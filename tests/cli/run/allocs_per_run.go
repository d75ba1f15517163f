// testing.AllocsPerRun and runtime.MemStats count allocations as Go does,
// and g2n allocates what Go allocates where Go's tests pin the count: a
// local strings.Builder stays in its frame (strings' TestBuilderAllocs,
// bufio's TestReadStringAllocs), and so does the `string(r)` that
// strings.IndexRune passes to Index (TestIndexRune), the buffer whose
// slice strconv.AppendInt only returns (TestCountMallocs) and a function's
// deferred calls (os's TestWriteStringAlloc); see
// crates/codegen/src/escape.rs.
package main

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
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

// guarded defers the way internal/poll's FD.Write does, and a literal.
type guarded struct {
	mu sync.Mutex
	n  int
}

func (g *guarded) add(x int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer func() { g.n += x }()
	return g.n
}

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

	fmt.Println("local Builder:", testing.AllocsPerRun(100, func() {
		var b strings.Builder
		b.Grow(5)
		b.WriteString("abcde")
		text = b.String()
	}))
	fmt.Println("local Builder, no growth:", testing.AllocsPerRun(100, func() {
		var b strings.Builder
		b.Grow(0)
		b.Write(nil)
		if b.String() != "" {
			panic("not empty")
		}
	}))
	fmt.Println("IndexRune:", testing.AllocsPerRun(100, func() {
		if strings.IndexRune("test世界", 's') != 2 || strings.IndexRune("test世界", '世') != 4 {
			panic("IndexRune")
		}
	}))
	r := strings.NewReader("  foo  42  4.2\n")
	reader := bufio.NewReader(r)
	fmt.Println("ReadString:", testing.AllocsPerRun(100, func() {
		r.Seek(0, io.SeekStart)
		reader.Reset(r)
		if _, err := reader.ReadString('\n'); err != nil {
			panic(err)
		}
	}))

	// io's TestMultiWriter_WriteStringSingleAlloc.
	var c1, c2 counter
	w := io.MultiWriter(&c1, &c2)
	fmt.Println("MultiWriter.WriteString:", testing.AllocsPerRun(100, func() {
		io.WriteString(w, "foo")
	}))

	// strconv's TestCountMallocs (AppendInt only returns its dst) and
	// os's TestWriteStringAlloc (deferred calls in the frame).
	fmt.Println("AppendInt:", testing.AllocsPerRun(100, func() {
		var local [64]byte
		strconv.AppendInt(local[:0], 123, 10)
	}))
	g := &guarded{}
	fmt.Println("defer:", testing.AllocsPerRun(100, func() { g.add(2) }), g.n)

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
