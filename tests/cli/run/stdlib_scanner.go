// bufio.Scanner over io.Readers (a bytes.Buffer and a user type that
// returns its input in small pieces): lines, words, runes, bytes.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// trickle returns at most 3 bytes per Read, then io.EOF or its own error.
type trickle struct {
	data string
	err  error
}

func (t *trickle) Read(p []byte) (int, error) {
	if len(t.data) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		return 0, io.EOF
	}
	n := 3
	if n > len(t.data) {
		n = len(t.data)
	}
	if n > len(p) {
		n = len(p)
	}
	copy(p, t.data[:n])
	t.data = t.data[n:]
	return n, nil
}

func main() {
	lines := bufio.NewScanner(bytes.NewBufferString("first\r\nsecond\n\nno newline at end"))
	for lines.Scan() {
		fmt.Printf("%q %d\n", lines.Text(), len(lines.Bytes()))
	}
	fmt.Println(lines.Err())

	words := bufio.NewScanner(&trickle{data: "  the quick\tbrown\n\nfox  jumps  "})
	words.Split(bufio.ScanWords)
	count := 0
	for words.Scan() {
		count++
		fmt.Print("[", words.Text(), "]")
	}
	fmt.Println(count, words.Err())

	runes := bufio.NewScanner(&trickle{data: "aé世x"})
	runes.Split(bufio.ScanRunes)
	for runes.Scan() {
		fmt.Printf("%q ", runes.Text())
	}
	fmt.Println()

	byteScan := bufio.NewScanner(&trickle{data: "xyz"})
	byteScan.Split(bufio.ScanBytes)
	for byteScan.Scan() {
		fmt.Print(byteScan.Bytes())
	}
	fmt.Println()

	failing := bufio.NewScanner(&trickle{data: "ok\nbroken", err: errors.New("read failed")})
	for failing.Scan() {
		fmt.Println("token:", failing.Text())
	}
	fmt.Println("err:", failing.Err())

	small := bufio.NewScanner(bytes.NewBufferString("short\nthis line is far too long\n"))
	small.Buffer(make([]byte, 4), 8)
	for small.Scan() {
		fmt.Println("token:", small.Text())
	}
	fmt.Println("err:", small.Err())
}
