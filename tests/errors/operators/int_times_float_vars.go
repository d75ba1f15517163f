package main

func main() {
	var i int
	var f float64
	_ = i * f // ERROR "invalid operation: i \\* f \\(mismatched types int and float64\\)"
}
