package main

import "unsafe"

func main() {
	x := 1
	p := unsafe.Pointer(&x)
	_ = p + 1 // ERROR "cannot convert 1 \\(untyped int constant\\) to unsafe\\.Pointer"
}
