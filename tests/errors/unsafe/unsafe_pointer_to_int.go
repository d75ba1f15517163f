package main

import "unsafe"

func main() {
	x := 1
	_ = int(unsafe.Pointer(&x)) // ERROR "cannot convert unsafe\\.Pointer\\(&x\\) \\(value of type unsafe\\.Pointer\\) to type int"
}
