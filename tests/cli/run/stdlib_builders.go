// strings.Builder and bytes.Buffer, written by methods and by fmt.Fprintf.
package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// logger embeds a strings.Builder: its exported methods are promoted.
type logger struct {
	strings.Builder
	lines int
}

func (l *logger) log(s string) {
	l.lines++
	l.WriteString(s)
	l.WriteByte('\n')
}

func describe(w io.Writer) string {
	return fmt.Sprintf("%T", w)
}

func main() {
	var sb strings.Builder
	fmt.Println(sb.Len(), sb.String() == "")
	sb.WriteString("hello")
	sb.WriteByte(',')
	sb.WriteRune(' ')
	sb.WriteRune('世')
	sb.WriteRune('界')
	n, err := sb.Write([]byte("!"))
	fmt.Println(n, err)
	fmt.Fprintf(&sb, " %d-%s", 12, "x")
	fmt.Println(sb.String(), sb.Len())
	sb.Grow(100)
	fmt.Println(sb.Cap() >= sb.Len()+100)
	sb.Reset()
	sb.WriteString("again")
	fmt.Println(sb.String())
	fmt.Printf("%T %s\n", sb, describe(&sb))

	words := []string{"alpha", "beta", "gamma"}
	var joined strings.Builder
	for i, w := range words {
		if i > 0 {
			joined.WriteString(", ")
		}
		joined.WriteString(strings.ToUpper(w))
	}
	fmt.Println(joined.String())

	var buf bytes.Buffer
	buf.WriteString("first line\nsecond")
	buf.WriteByte(' ')
	buf.Write([]byte("line\n"))
	fmt.Fprintf(&buf, "third %v\n", true)
	fmt.Println(buf.Len())
	line, err := buf.ReadString('\n')
	fmt.Printf("%q %v\n", line, err)
	c, err := buf.ReadByte()
	fmt.Println(string(c), err)
	fmt.Printf("%q\n", buf.String())
	rest, err := buf.ReadString('?')
	fmt.Printf("%q %v %d\n", rest, err, buf.Len())
	_, err = buf.ReadByte()
	fmt.Println(err == io.EOF)
	b2 := bytes.NewBufferString("xyz")
	b2.WriteRune('ü')
	fmt.Println(b2.String(), b2.Len(), string(b2.Bytes()[:2]))
	b2.Truncate(1)
	fmt.Println(b2.String(), describe(b2))
	p := make([]byte, 4)
	n, err = bytes.NewBuffer([]byte("ab")).Read(p)
	fmt.Println(n, err, p)

	var l logger
	l.log("one")
	l.log("two")
	fmt.Fprintf(&l, "three %d\n", 3)
	fmt.Print(l.String())
	fmt.Println(l.lines, l.Len(), describe(&l))
}
