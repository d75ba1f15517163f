package main

func main() {
	var x int
	var x int // ERROR "x redeclared in this block"
	_ = x
}
