// strings, bytes, errors and io compiled from Go's source: the issue's
// wrong answer (strings.ToUpper("ß")), functions the hand-written packages
// lacked, and errors.Is/As through g2n's internal/reflectlite.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

type pathError struct {
	op   string
	path string
	err  error
}

func (e *pathError) Error() string { return e.op + " " + e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

type codeError int

func (c codeError) Error() string { return fmt.Sprintf("code %d", int(c)) }

var errNotFound = errors.New("not found")

func main() {
	// The wrong answer: Go's unicode tables, not a rewrite.
	fmt.Println(strings.ToUpper("ß"), strings.ToUpper("straße"), strings.ToLower("ΑΣ"), strings.Title("hello wörld"))
	fmt.Println(strings.ToTitle("ǆ"), strings.EqualFold("Straße", "STRASSE"), strings.EqualFold("Σ", "ς"))

	// strings functions the hand-written package did not have.
	fmt.Println(strings.Cut("key=value", "="))
	fmt.Println(strings.SplitN("a,b,c,d", ",", 2), strings.SplitAfter("a,b,c", ","), strings.LastIndexByte("abcabc", 'b'))
	fmt.Println(strings.IndexAny("golang", "ln"), strings.IndexFunc("Hello, 世界", unicode.IsUpper), strings.ContainsAny("failure", "ui"))
	fmt.Println(strings.Map(func(r rune) rune {
		if r == 'a' {
			return -1
		}
		return unicode.ToUpper(r)
	}, "banana"), strings.TrimFunc("¡¡¡Hello, Gophers!!!", func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }))
	fmt.Printf("%q\n", strings.FieldsFunc("  foo1;bar2,baz3...", func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsNumber(c) }))
	fmt.Println(strings.Compare("a", "b"), strings.Count("cheese", "e"), strings.Count("five", ""), strings.Clone("clone"))
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;")
	fmt.Println(r.Replace("This is <b>HTML</b>!"))
	var sb strings.Builder
	for i := 3; i > 0; i-- {
		fmt.Fprintf(&sb, "%d...", i)
	}
	sb.WriteString("ignition")
	fmt.Println(sb.String(), sb.Len())
	rd := strings.NewReader("Hello, Reader!")
	buf := make([]byte, 8)
	for {
		n, err := rd.Read(buf)
		fmt.Printf("n = %v err = %v b = %q\n", n, err, buf[:n])
		if err == io.EOF {
			break
		}
	}

	// bytes.
	var b bytes.Buffer
	b.Write([]byte("Hello "))
	fmt.Fprintf(&b, "world!")
	fmt.Println(b.String(), b.Len())
	fmt.Println(bytes.Equal([]byte("Go"), []byte("Go")), bytes.Compare([]byte("a"), []byte("b")), bytes.Index([]byte("chicken"), []byte("ken")))
	fmt.Printf("%s %q %s\n", bytes.ToUpper([]byte("gopher ß")), bytes.Fields([]byte("  foo bar  baz   ")), bytes.TrimSpace([]byte(" \t x \n")))
	fmt.Printf("%s\n", bytes.Join([][]byte{[]byte("foo"), []byte("bar")}, []byte(", ")))
	data, err := io.ReadAll(strings.NewReader("all of it"))
	fmt.Println(string(data), err)

	// errors, through internal/reflectlite.
	err = &pathError{"open", "/x", errNotFound}
	wrapped := fmt.Errorf("loading: %w", err)
	fmt.Println(errors.Is(wrapped, errNotFound), errors.Is(err, io.EOF), errors.Unwrap(err) == errNotFound)
	var pe *pathError
	if errors.As(wrapped, &pe) {
		fmt.Println("as *pathError:", pe.path)
	}
	var ce codeError
	fmt.Println(errors.As(fmt.Errorf("x: %w", codeError(7)), &ce), ce)
	var iface interface{ Unwrap() error }
	fmt.Println(errors.As(wrapped, &iface), iface != nil)
	defer func() { fmt.Println("recovered:", recover()) }()
	var notPointer pathError
	errors.As(err, notPointer)
}
