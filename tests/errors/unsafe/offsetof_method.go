package main

import "unsafe"

type T struct{ a int }

func (T) m() {}

func main() {
	var t T
	_ = unsafe.Offsetof(t.m) // ERROR "invalid argument: t\\.m is a method value"
}
