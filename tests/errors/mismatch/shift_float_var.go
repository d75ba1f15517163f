package main

func main() {
	var f float64 = 1
	_ = f << 2 // ERROR "invalid operation: shifted operand f \\(variable of type float64\\) must be integer"
}
