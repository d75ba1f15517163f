package main

type Celsius float64

func main() {
	var c Celsius
	var f float64 = c // ERROR "cannot use c \\(variable of type Celsius\\) as type float64 in variable declaration"
	_ = f
}
