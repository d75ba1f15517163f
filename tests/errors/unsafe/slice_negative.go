package main

import "unsafe"

func main() {
	x := 1
	_ = unsafe.Slice(&x, -1) // ERROR "invalid argument: length -1 \\(constant of type int\\) must not be negative"
}
