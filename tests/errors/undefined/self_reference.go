package main

func main() {
	x := x + 1 // ERROR "undefined: x"
	_ = x
}
