package main

func main() {
	var p *int
	_ = (*float64)(p) // ERROR "cannot convert p \\(variable of type \\*int\\) to type \\*float64"
}
