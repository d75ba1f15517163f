package main

import "fmt"

type T struct{}

func (T) String() int { return 0 }

func main() {
	var s fmt.Stringer = T{} // ERROR "cannot use T\\{\\} \\(value of type T\\) as type fmt\\.Stringer in variable declaration:"
	_ = s
}
