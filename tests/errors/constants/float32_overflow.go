package main

func main() {
	var f float32 = 1e39 // ERROR "cannot use 1e39 \\(untyped float constant 1e\\+39\\) as float32 value in variable declaration \\(overflows\\)"
	_ = f
}
