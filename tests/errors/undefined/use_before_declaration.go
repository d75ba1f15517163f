package main

func main() {
	println(y) // ERROR "undefined: y"
	y := 1
	_ = y
}
