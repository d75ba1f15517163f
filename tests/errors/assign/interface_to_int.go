package main

func main() {
	var i interface{}
	var n int = i // ERROR "cannot use i \\(variable of type interface\\{\\}\\) as type int in variable declaration:"
	_ = n
}
