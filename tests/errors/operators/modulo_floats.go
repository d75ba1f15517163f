package main

func main() {
	x, y := 1.5, 2.5
	_ = x % y // ERROR "invalid operation: operator % not defined on x \\(variable of type float64\\)"
}
