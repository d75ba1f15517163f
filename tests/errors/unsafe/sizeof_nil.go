package main

import "unsafe"

func main() {
	_ = unsafe.Sizeof(nil) // ERROR "use of untyped nil in argument to unsafe\\.Sizeof"
}
