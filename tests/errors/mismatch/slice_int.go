package main

func main() {
	x := 5
	_ = x[1:2] // ERROR "invalid operation: cannot slice x \\(variable of type int\\)"
}
