// A panic raised while panicking: Go prints the chain, oldest first, a
// recovered panic whose deferred call panicked marked [recovered]; a panic
// recovered inside a deferred call lets the earlier one go on.
// cases: chain recovered three recovered-middle runtime resumes
package main

import (
	"errors"
	"fmt"
	"os"
)

type codeError struct{ code int }

func (e codeError) Error() string { return fmt.Sprint("code ", e.code) }

func inner() {
	defer func() {
		fmt.Println("inner recovered:", recover())
	}()
	panic("inner")
}

func main() {
	switch os.Args[len(os.Args)-1] {
	case "chain":
		defer func() { panic("second") }()
		panic("first")
	case "recovered":
		defer func() { recover(); panic("first-again") }()
		panic("first")
	case "three":
		defer func() { panic(fmt.Sprintf("third %d", 3)) }()
		defer func() { panic(errors.New("second")) }()
		panic(codeError{7})
	case "recovered-middle":
		defer func() {
			r := recover()
			panic(fmt.Sprint("re: ", r))
		}()
		defer func() { panic("second") }()
		panic("first")
	case "runtime":
		defer func() { panic(42) }()
		var m map[string]int
		m["x"] = 1
	case "resumes":
		defer func() { fmt.Println("outer recovered:", recover()) }()
		defer inner()
		panic("outer")
	}
}
