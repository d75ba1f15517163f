// errors.Is, errors.As, errors.Unwrap and fmt.Errorf's %w follow Go:
// wrapping chains, custom Is/As methods, bad %w uses, As targets of
// interface, pointer and value types.
package main

import (
	"errors"
	"fmt"
	"strconv"
)

var ErrNotFound = errors.New("not found")

type PathError struct {
	Op   string
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

type Code int

func (c Code) Error() string { return "code " + strconv.Itoa(int(c)) }

type Temporary interface{ Temporary() bool }

type timeout struct{}

func (timeout) Error() string   { return "timeout" }
func (timeout) Temporary() bool { return true }

type anyNotFound struct{}

func (anyNotFound) Error() string        { return "any" }
func (anyNotFound) Is(target error) bool { return target == ErrNotFound }

type sliceErr []string

func (s sliceErr) Error() string { return fmt.Sprint(len(s), " errors") }

func main() {
	wrapped := fmt.Errorf("load config: %w", ErrNotFound)
	fmt.Println(wrapped)
	fmt.Println(errors.Unwrap(wrapped) == ErrNotFound, errors.Unwrap(ErrNotFound) == nil)
	fmt.Println(errors.Is(wrapped, ErrNotFound), errors.Is(ErrNotFound, wrapped), errors.Is(nil, nil), errors.Is(wrapped, nil))
	fmt.Printf("%T %T\n", wrapped, ErrNotFound)

	deep := fmt.Errorf("outer: %w", &PathError{"open", "/etc/x", fmt.Errorf("inner %d: %w", 3, Code(7))})
	fmt.Println(deep)
	var pe *PathError
	if errors.As(deep, &pe) {
		fmt.Println("as *PathError:", pe.Op, pe.Path)
	}
	var code Code
	fmt.Println(errors.As(deep, &code), code, errors.Is(deep, Code(7)), errors.Is(deep, Code(8)))

	var temp Temporary
	tw := fmt.Errorf("call: %w", timeout{})
	fmt.Println(errors.As(tw, &temp), temp != nil && temp.Temporary(), errors.As(deep, &temp))
	var anyErr interface{}
	fmt.Println(errors.As(tw, &anyErr), anyErr)

	fmt.Println(errors.Is(fmt.Errorf("x: %w", anyNotFound{}), ErrNotFound))
	fmt.Println(errors.Is(sliceErr{"a"}, sliceErr{"a"}))

	fmt.Println(fmt.Errorf("two: %w %w", ErrNotFound, Code(1)))
	fmt.Println(errors.Unwrap(fmt.Errorf("two: %w %w", ErrNotFound, Code(1))) == nil)
	fmt.Println(fmt.Errorf("not an error: %w", 5), errors.Unwrap(fmt.Errorf("%w", "s")) == nil)
	fmt.Println(fmt.Errorf("nil: %w", nil))
	fmt.Println(fmt.Errorf("plain %v %d", ErrNotFound, 3), errors.Unwrap(fmt.Errorf("plain %v", ErrNotFound)) == nil)
	fmt.Println(fmt.Sprintf("sprintf %w", Code(2)))

	try := func(name string, f func()) {
		defer func() { fmt.Println(name, "panics:", recover()) }()
		f()
	}
	try("nil target", func() { errors.As(wrapped, nil) })
	try("non-pointer", func() { errors.As(wrapped, pe) })
	try("bad element", func() { var n *int; errors.As(wrapped, &n) })
}
