// Package os declares the operating-system functions that g2n implements in its
// runtime. Bodiless functions are intrinsics.
package os

import (
	"errors"
	"io"
)

func Exit(code int)

// Args holds the command-line arguments, starting with the program name.
var Args []string

// File is an open file descriptor. Only the standard streams exist in g2n.
type File struct {
	fd   int
	name string
}

// Stdin, Stdout and Stderr are the standard streams. Writes to Stdout and
// Stderr go through the runtime, which forwards them to the origin of a
// mesh like fmt's output.
var (
	Stdin  = &File{0, "/dev/stdin"}
	Stdout = &File{1, "/dev/stdout"}
	Stderr = &File{2, "/dev/stderr"}
)

// writeFd writes b to the stream fd (1 or 2) and returns how many bytes it
// wrote (all of them).
func writeFd(fd int, b []byte) int

// readFd reads up to len(b) bytes from fd 0 into b; 0 at end of input.
func readFd(fd int, b []byte) int

// Name returns the name of the file.
func (f *File) Name() string {
	return f.name
}

// Fd returns the file descriptor number.
func (f *File) Fd() uintptr {
	return uintptr(f.fd)
}

// Write writes len(b) bytes to the file.
func (f *File) Write(b []byte) (n int, err error) {
	if f == nil {
		return 0, ErrInvalid
	}
	if f.fd == 0 {
		return 0, &PathError{Op: "write", Path: f.name, Err: errBadFd}
	}
	return writeFd(f.fd, b), nil
}

// WriteString is like Write, but writes the contents of string s.
func (f *File) WriteString(s string) (n int, err error) {
	return f.Write([]byte(s))
}

// Read reads up to len(b) bytes from the file (standard input only).
func (f *File) Read(b []byte) (n int, err error) {
	if f == nil {
		return 0, ErrInvalid
	}
	if f.fd != 0 {
		return 0, &PathError{Op: "read", Path: f.name, Err: errBadFd}
	}
	if len(b) == 0 {
		return 0, nil
	}
	n = readFd(f.fd, b)
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// ErrInvalid indicates an invalid argument (a nil *File).
var ErrInvalid = errors.New("invalid argument")

var errBadFd = errors.New("bad file descriptor")

// PathError records an error and the operation and file path that caused it.
type PathError struct {
	Op   string
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }

// The process's environment (the runtime reads and changes it).
func getenv(key string) string
func hasEnv(key string) bool
func setenv(key, value string) bool
func unsetenv(key string) bool

var errSetenv = errors.New("setenv: invalid argument")
var errUnsetenv = errors.New("unsetenv: invalid argument")

// Getenv returns the value of the environment variable key, "" when unset.
func Getenv(key string) string {
	return getenv(key)
}

// LookupEnv returns the value of the environment variable key and whether
// it is set.
func LookupEnv(key string) (string, bool) {
	if !hasEnv(key) {
		return "", false
	}
	return getenv(key), true
}

// Setenv sets the environment variable key; an empty key or one holding '='
// or NUL is an error, as in Go.
func Setenv(key, value string) error {
	if !setenv(key, value) {
		return errSetenv
	}
	return nil
}

// Unsetenv removes the environment variable key.
func Unsetenv(key string) error {
	if !unsetenv(key) {
		return errUnsetenv
	}
	return nil
}
