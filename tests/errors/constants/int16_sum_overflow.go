package main

func main() {
	var x int16 = 32767 + 1 // ERROR "cannot use 32767 \\+ 1 \\(untyped int constant 32768\\) as int16 value in variable declaration \\(overflows\\)"
	_ = x
}
