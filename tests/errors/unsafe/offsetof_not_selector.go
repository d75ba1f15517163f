package main

import "unsafe"

func main() {
	x := 1
	_ = unsafe.Offsetof(x) // ERROR "invalid argument: x is not a selector expression"
}
