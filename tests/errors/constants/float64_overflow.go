package main

func main() {
	x := 1e400 // ERROR "cannot use 1e400 \\(untyped float constant 1e\\+400\\) as float64 value in assignment \\(overflows\\)"
	_ = x
}
