// errors.As compares method signatures as assertions do: a target interface
// whose method differs only in its result type does not match, and a target
// whose Error method does not return a string is not an error (Go panics).
// cases: interface odd
package main

import (
	"errors"
	"fmt"
	"os"
)

type codeErr struct{ code int8 }

func (e codeErr) Error() string { return fmt.Sprint("code ", e.code) }
func (e codeErr) Code() int8    { return e.code }

type wideCoder interface{ Code() int64 }
type narrowCoder interface{ Code() int8 }

// Error with another signature: not an error.
type oddErr struct{ n int }

func (o oddErr) Error() int { return o.n }

func main() {
	err := fmt.Errorf("wrapped: %w", codeErr{7})
	switch os.Args[len(os.Args)-1] {
	case "interface":
		var w wideCoder
		fmt.Println(errors.As(err, &w), w == nil)
		var n narrowCoder
		fmt.Println(errors.As(err, &n), n.Code())
		var c codeErr
		fmt.Println(errors.As(err, &c), c.code)
	case "odd":
		var o oddErr
		fmt.Println(errors.As(err, &o))
	}
}
