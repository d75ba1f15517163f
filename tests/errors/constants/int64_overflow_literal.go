package main

func main() {
	var x int64 = 9223372036854775808 // ERROR "cannot use 9223372036854775808 \\(untyped int constant\\) as int64 value in variable declaration \\(overflows\\)"
	_ = x
}
