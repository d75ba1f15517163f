package main

func main() {
	var u uint32 = 0 - 1 // ERROR "cannot use 0 - 1 \\(untyped int constant -1\\) as uint32 value in variable declaration \\(overflows\\)"
	_ = u
}
