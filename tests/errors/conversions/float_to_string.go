package main

func main() {
	f := 1.5
	_ = string(f) // ERROR "cannot convert f \\(variable of type float64\\) to type string"
}
