package main

// An error a library returns (io.EOF, from Go's source) travels across a
// hop and still compares equal to the receiver's io.EOF, which the program
// names (docs/split.md, "Package-level variables").

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

func main() {
	r := strings.NewReader("ab")
	buf := make([]byte, 4)
	n, err := r.Read(buf)
	goToNetwork 'after-first'
	fmt.Println(n, err, string(buf[:n]))
	n, err = r.Read(buf)
	goToNetwork 'after-second'
	fmt.Println(n, err, err == io.EOF, errors.Is(err, io.EOF))
}
