// bufio compiled from Go's source: Reader (Peek, ReadSlice, ReadLine,
// ReadRune/UnreadRune, Discard, WriteTo, Reset, buffer-full errors),
// Writer (AvailableBuffer, ReadFrom, Reset, a writer that fails) and
// Scanner (Buffer and ErrTooLong, ScanRunes on invalid UTF-8, a split
// function's final token and its own error), as a user writes them.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// failing accepts n bytes, then fails every write.
type failing struct{ n int }

var errFull = errors.New("disk full")

func (f *failing) Write(p []byte) (int, error) {
	if len(p) > f.n {
		w := f.n
		f.n = 0
		return w, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// slowReader hands out its data one byte per Read.
type slowReader struct{ data string }

func (s *slowReader) Read(p []byte) (int, error) {
	if s.data == "" {
		return 0, io.EOF
	}
	p[0] = s.data[0]
	s.data = s.data[1:]
	return 1, nil
}

func main() {
	r := bufio.NewReaderSize(strings.NewReader("héllo wörld\nsecond line that is long\r\nlast"), 16)
	fmt.Println(r.Size(), r.Buffered())
	peek, err := r.Peek(5)
	fmt.Printf("%q %v %d\n", peek, err, r.Buffered())
	ch, size, err := r.ReadRune()
	fmt.Println(string(ch), size, err)
	ch, size, _ = r.ReadRune()
	fmt.Println(string(ch), size, r.UnreadRune(), r.UnreadRune())
	n, err := r.Discard(3)
	fmt.Println(n, err)
	line, err := r.ReadSlice('\n')
	fmt.Printf("%q %v\n", line, err)
	line, prefix, err := r.ReadLine()
	fmt.Printf("%q %v %v\n", line, prefix, err)
	line, prefix, err = r.ReadLine()
	fmt.Printf("%q %v %v\n", line, prefix, err)
	_, err = r.Peek(32)
	fmt.Println(err)
	var rest bytes.Buffer
	m, err := r.WriteTo(&rest)
	fmt.Printf("%d %v %q\n", m, err, rest.String())
	_, err = r.ReadByte()
	fmt.Println(err, r.UnreadByte())

	r.Reset(&slowReader{"a,b,,c"})
	for {
		field, err := r.ReadString(',')
		fmt.Printf("%q ", field)
		if err != nil {
			fmt.Println(err)
			break
		}
	}

	var out bytes.Buffer
	w := bufio.NewWriterSize(&out, 8)
	b := w.AvailableBuffer()
	b = strconv.AppendInt(b, -1234, 10)
	b = append(b, ' ')
	w.Write(b)
	fmt.Fprintf(w, "%s|%5.2f|", "formatted", 3.14159)
	w.WriteRune('€')
	fmt.Println(w.Buffered(), w.Available(), out.Len())
	k, err := w.ReadFrom(strings.NewReader(" from a reader"))
	fmt.Println(k, err, w.Flush(), strconv.Quote(out.String()))

	fw := bufio.NewWriterSize(&failing{n: 10}, 4)
	written, err := fw.WriteString("0123456789abcdef")
	fmt.Println(written, err, fw.Flush(), fw.Buffered())
	fw.Reset(&out)
	fmt.Println(fw.Buffered(), fw.Available())

	s := bufio.NewScanner(strings.NewReader("short\n" + strings.Repeat("x", 40) + "\nnever"))
	s.Buffer(make([]byte, 4), 16)
	for s.Scan() {
		fmt.Printf("token %q\n", s.Text())
	}
	fmt.Println(s.Err(), s.Err() == bufio.ErrTooLong)

	s = bufio.NewScanner(strings.NewReader("a\xffé"))
	s.Split(bufio.ScanRunes)
	for s.Scan() {
		fmt.Printf("%q ", s.Bytes())
	}
	fmt.Println(s.Err())

	errStop := errors.New("saw STOP")
	s = bufio.NewScanner(strings.NewReader("1,2,3,STOP,4"))
	s.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		adv, tok, err := bufio.ScanWords(data, atEOF)
		if i := bytes.IndexByte(data, ','); i >= 0 {
			adv, tok = i+1, data[:i]
		} else if atEOF && len(data) > 0 {
			adv, tok = len(data), data
		}
		if string(tok) == "STOP" {
			return 0, nil, errStop
		}
		return adv, tok, err
	})
	sum := 0
	for s.Scan() {
		v, _ := strconv.Atoi(s.Text())
		sum += v
	}
	fmt.Println(sum, s.Err())

	s = bufio.NewScanner(strings.NewReader("x,y,"))
	s.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.IndexByte(data, ','); i >= 0 {
			return i + 1, data[:i], nil
		}
		if atEOF {
			return 0, data, bufio.ErrFinalToken
		}
		return 0, nil, nil
	})
	for s.Scan() {
		fmt.Printf("%q ", s.Text())
	}
	fmt.Println(s.Err())

	rw := bufio.NewReadWriter(bufio.NewReader(strings.NewReader("in\n")), bufio.NewWriter(&out))
	got, _ := rw.ReadString('\n')
	rw.WriteString("out:" + got)
	rw.Flush()
	fmt.Printf("%q\n", out.String()[out.Len()-7:])
}
