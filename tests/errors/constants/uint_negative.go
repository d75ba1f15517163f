package main

func main() {
	var x uint = -1 // ERROR "cannot use -1 \\(untyped int constant\\) as uint value in variable declaration \\(overflows\\)"
	_ = x
}
