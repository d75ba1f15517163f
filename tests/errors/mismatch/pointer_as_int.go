package main

func main() {
	var p *int
	var x int = p // ERROR "cannot use p \\(variable of type \\*int\\) as type int in variable declaration"
	_ = x
}
