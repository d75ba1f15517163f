// Package main shows how comments are kept.
package main

import (
	"fmt" // printing
	"os"
)

//doc comment without a blank
//
//
//second paragraph
func g() int {
	/* a block
	   comment */
	x := 1 /* inline */ + 2
	// own line
	return x // trailing
}



// T is a type.
type T struct {
	a int     // the a
	bb string // the b
}

func main() {
	fmt.Println(g(), T{}) // call
	os.Exit(0)
	// last comment
}
