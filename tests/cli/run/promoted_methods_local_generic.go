// Methods promoted from embedded fields are in the method sets of
// function-local types and of instances of generic types (issue 18).
package main

import "fmt"

type In struct{}

func (In) String() string { return "in" }

type Box[T any] struct {
	In
	v T
}

func main() {
	type Local struct{ In }
	var l fmt.Stringer = Local{}
	b := Box[int]{v: 3}
	var g fmt.Stringer = b
	fmt.Println(l.String(), g.String(), l, b)
}
