package main

func main() {
	var i int = 1
	var f float64 = i // ERROR "cannot use i \\(variable of type int\\) as type float64 in variable declaration"
	_ = f
}
