package main

import "unsafe"

func main() {
	x := 1
	_ = unsafe.Add(&x, 1) // ERROR "cannot use &x \\(value of type \\*int\\) as type unsafe\\.Pointer in argument to unsafe\\.Add"
}
