package main

func main() {
	var a [N]int // ERROR "undeclared name N for array length"
	_ = a
}
