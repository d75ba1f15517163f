package main

import "unsafe"

type Inner struct{ a, b int }

type Outer struct {
	x int
	*Inner
}

func main() {
	var o Outer
	_ = unsafe.Offsetof(o.b) // ERROR "invalid argument: field b is embedded via a pointer in Outer"
}
