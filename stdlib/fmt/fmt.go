// Package fmt: the functions the runtime implements (crates/runtime/src/fmt).
package fmt

import (
	"errors"
	"io"
)

func Printf(format string, a ...any) (n int, err error)
func Println(a ...any) (n int, err error)
func Print(a ...any) (n int, err error)
func Sprintf(format string, a ...any) string
func Sprint(a ...any) string
func Sprintln(a ...any) string

// Errorf formats according to a format specifier and returns the string as
// a value that satisfies error. A %w verb with an error operand makes the
// result wrap that error: its Unwrap method returns it.
func Errorf(format string, a ...any) error {
	s, wrapped := errorf(format, a)
	if wrapped < 0 {
		return errors.New(s)
	}
	return &wrapError{s, a[wrapped].(error)}
}

// errorf formats as Errorf does (the runtime's Sprintf, where %w prints as
// %v once, of an error) and gives the index of the operand %w wrapped, or -1.
func errorf(format string, a []any) (string, int)

type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string {
	return e.msg
}

func (e *wrapError) Unwrap() error {
	return e.err
}

// Fprintf formats according to a format specifier and writes to w.
func Fprintf(w io.Writer, format string, a ...any) (n int, err error) {
	return w.Write([]byte(Sprintf(format, a...)))
}

// Fprintln formats its operands as Println does and writes to w.
func Fprintln(w io.Writer, a ...any) (n int, err error) {
	return w.Write([]byte(Sprintln(a...)))
}

// Fprint formats its operands as Print does and writes to w.
func Fprint(w io.Writer, a ...any) (n int, err error) {
	return w.Write([]byte(Sprint(a...)))
}

// Stringer is implemented by any value that has a String method, which
// defines the value's "native" format.
type Stringer interface {
	String() string
}
