// bufio.Writer, fmt.Fprint* to os.Stdout, os.Stderr, a bufio.Writer and a
// user type implementing io.Writer; %T of stdlib types.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// counter implements io.Writer: Fprintf dispatches to it dynamically.
type counter struct {
	writes int
	bytes  int
	last   string
}

func (c *counter) Write(p []byte) (int, error) {
	c.writes++
	c.bytes += len(p)
	c.last = string(p)
	return len(p), nil
}

// failing fails after its limit, to show bufio.Writer keeping the error.
type failing struct {
	limit int
	got   []byte
}

func (f *failing) Write(p []byte) (int, error) {
	if len(f.got)+len(p) > f.limit {
		n := f.limit - len(f.got)
		f.got = append(f.got, p[:n]...)
		return n, errors.New("disk full")
	}
	f.got = append(f.got, p...)
	return len(p), nil
}

func main() {
	n, err := fmt.Fprintf(os.Stdout, "to stdout: %d %s %v\n", 42, "text", []int{1, 2})
	fmt.Println(n, err)
	fmt.Fprintln(os.Stderr, "to stderr, not in stdout")
	fmt.Fprint(os.Stdout, "a", 1, 2, "b", "\n")
	os.Stdout.WriteString("WriteString on os.Stdout\n")
	os.Stdout.Write([]byte("Write on os.Stdout\n"))

	c := &counter{}
	fmt.Fprintf(c, "%05.1f|%x", 3.14159, 255)
	fmt.Fprintln(c, "hello", 7)
	fmt.Println(c.writes, c.bytes, c.last)
	var w io.Writer = c
	io.WriteString(w, "via io.WriteString")
	fmt.Println(c.writes, c.last)

	// A small buffer shows when bufio flushes to the writer below.
	b := bufio.NewWriterSize(c, 16)
	fmt.Println(b.Size(), b.Available(), b.Buffered())
	b.WriteString("0123456789")
	fmt.Println(c.writes, b.Buffered())
	b.WriteString("abcdefghij")
	fmt.Println(c.writes, b.Buffered(), c.last)
	b.WriteByte('!')
	b.WriteRune('é')
	b.WriteRune('x')
	b.Write([]byte("a long write that goes straight through"))
	fmt.Println(c.writes, b.Buffered(), c.last)
	fmt.Println(b.Flush(), c.writes, b.Buffered(), c.last)

	f := &failing{limit: 5}
	fb := bufio.NewWriterSize(f, 4)
	_, err = fb.WriteString("abcdefgh")
	fmt.Println(err, string(f.got))
	fmt.Println(fb.WriteByte('z'), fb.Flush())

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < 3; i++ {
		fmt.Fprintf(out, "line %d\n", i)
	}
	fmt.Fprintf(out, "%T %T %T %T\n", out, os.Stdout, c, w)
	same := bufio.NewWriterSize(out, 100)
	fmt.Fprintln(out, same == out, bufio.NewWriterSize(out, 1<<20) == out)
}
