package main

func main() {
	x := 1
	_ = bool(x) // ERROR "cannot convert x \\(variable of type int\\) to type bool"
}
