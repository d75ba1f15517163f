package main

import "unsafe"

func main() {
	_ = unsafe.Sizeof() // ERROR "invalid operation: not enough arguments for unsafe\\.Sizeof\\(\\) \\(expected 1, found 0\\)"
}
