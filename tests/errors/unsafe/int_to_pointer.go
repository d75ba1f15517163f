package main

import "unsafe"

func main() {
	x := 1
	_ = unsafe.Pointer(x) // ERROR "cannot convert x \\(variable of type int\\) to type unsafe\\.Pointer"
}
