package main

const c = 1

func main() {
	c++ // ERROR "cannot assign to c \\(untyped int constant 1\\)"
}
