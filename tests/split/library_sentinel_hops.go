package main

// Library variables inside values that travel (docs/split.md, "Package-level
// variables"): io.EOF read from a strings.Reader travels in err, and
// downstream library code that compares it with its own io.EOF (io.ReadAll,
// bufio.Scanner, errors.Is with fs.ErrNotExist) finds the same object. The
// program never names io.EOF or fs.ErrNotExist itself.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

type failing struct{ err error }

func (f failing) Read(p []byte) (int, error) { return 0, f.err }

type once struct {
	data string
	err  error
	done bool
}

func (o *once) Read(p []byte) (int, error) {
	if o.done {
		return 0, o.err
	}
	o.done = true
	return copy(p, o.data), nil
}

type lookupError struct {
	name string
	err  error
}

func (e *lookupError) Error() string { return e.name + ": " + e.err.Error() }
func (e *lookupError) Unwrap() error { return e.err }

func main() {
	_, err := strings.NewReader("").Read(make([]byte, 1))
	goToNetwork 'reader'
	data, err := io.ReadAll(failing{err})
	fmt.Println(len(data), err)

	// A bufio.Scanner reading a strings.Reader whose io.EOF travelled.
	_, eof := strings.NewReader("").Read(make([]byte, 1))
	src := &once{data: "alpha\nbeta\ngamma", err: eof}
	goToNetwork 'scanner'
	sc := bufio.NewScanner(src)
	lines := 0
	for sc.Scan() {
		lines++
		fmt.Println(lines, sc.Text())
	}
	fmt.Println("scan error:", sc.Err())

	// A sentinel that travelled, compared with errors.Is against an error a
	// library makes downstream (strconv's ErrSyntax, never named here).
	_, parseErr := strconv.Atoi("x1")
	sentinel := errors.Unwrap(parseErr)
	goToNetwork 'parser'
	_, again := strconv.ParseFloat("y2", 64)
	fmt.Println(sentinel, errors.Is(again, sentinel))
	_, big := strconv.ParseInt("99999999999999999999", 10, 64)
	fmt.Println(errors.Is(big, sentinel))

	// A named sentinel (it travels itself) wrapped in an error that travels.
	var lookup error = &lookupError{name: "config.toml", err: fs.ErrNotExist}
	wrapped := fmt.Errorf("open: %w", lookup)
	goToNetwork 'checker'
	fmt.Println(wrapped)
	fmt.Println(errors.Is(wrapped, fs.ErrNotExist), errors.Is(wrapped, fs.ErrExist))
	var le *lookupError
	fmt.Println(errors.As(wrapped, &le), le.name)
}
