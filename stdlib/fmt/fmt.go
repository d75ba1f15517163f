// Package fmt: the functions the runtime implements (crates/runtime/src/fmt).
package fmt

import (
	"errors"
	"io"
)

// The runtime's formatting (crates/runtime/src/fmt), which knows every
// value but calls no Format method: the functions below hand it operands
// whose Format method has run already (formatter.go).
func runtimePrintf(format string, a ...any) (n int, err error)
func runtimePrintln(a ...any) (n int, err error)
func runtimePrint(a ...any) (n int, err error)
func runtimeSprintf(format string, a ...any) string
func runtimeSprint(a ...any) string
func runtimeSprintln(a ...any) string

// Printf formats according to a format specifier and writes to standard output.
func Printf(format string, a ...any) (n int, err error) {
	if hasFormatter(a) {
		return runtimePrint(sprintfFormatters(format, a))
	}
	return runtimePrintf(format, a...)
}

// Println formats its operands (spaces between, a newline after) and writes
// to standard output.
func Println(a ...any) (n int, err error) {
	if hasFormatter(a) {
		return runtimePrintln(formatted(a)...)
	}
	return runtimePrintln(a...)
}

// Print formats its operands (spaces between those that are not strings) and
// writes to standard output.
func Print(a ...any) (n int, err error) {
	if hasFormatter(a) {
		return runtimePrint(formatted(a)...)
	}
	return runtimePrint(a...)
}

// Sprintf formats according to a format specifier and returns the string.
func Sprintf(format string, a ...any) string {
	if hasFormatter(a) {
		return sprintfFormatters(format, a)
	}
	return runtimeSprintf(format, a...)
}

// Sprint formats its operands as Print does and returns the string.
func Sprint(a ...any) string {
	if hasFormatter(a) {
		return runtimeSprint(formatted(a)...)
	}
	return runtimeSprint(a...)
}

// Sprintln formats its operands as Println does and returns the string.
func Sprintln(a ...any) string {
	if hasFormatter(a) {
		return runtimeSprintln(formatted(a)...)
	}
	return runtimeSprintln(a...)
}

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
