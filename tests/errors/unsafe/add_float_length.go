package main

import "unsafe"

func main() {
	x := 1
	f := 1.5
	_ = unsafe.Add(unsafe.Pointer(&x), f) // ERROR "invalid argument: length f \\(variable of type float64\\) must be integer"
}
