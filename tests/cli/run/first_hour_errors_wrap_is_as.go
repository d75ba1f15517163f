package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

var ErrNotFound = errors.New("not found")

type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

func find(key string) (int, error) {
	if key != "answer" {
		return 0, fmt.Errorf("find %q: %w", key, ErrNotFound)
	}
	return 42, nil
}

func parse(s string) error {
	_, err := strconv.Atoi(s)
	if err != nil {
		return &ParseError{Line: 3, Err: err}
	}
	return nil
}

func main() {
	v, err := find("answer")
	fmt.Println(v, err)
	_, err = find("question")
	fmt.Println(err)
	fmt.Println(errors.Is(err, ErrNotFound), errors.Unwrap(err) == ErrNotFound)
	err = fmt.Errorf("loading config: %w", parse("x1"))
	fmt.Println(err)
	var pe *ParseError
	if errors.As(err, &pe) {
		fmt.Println("parse error on line", pe.Line)
	}
	var numErr *strconv.NumError
	fmt.Println(errors.As(err, &numErr), errors.Is(err, strconv.ErrSyntax))
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(2)
	}
}
