package main

func main() {
	x := 1 << 63 // ERROR "cannot use 1 << 63 \\(untyped int constant 9223372036854775808\\) as int value in assignment \\(overflows\\)"
	_ = x
}
