package main

func main() {
	var x int = nil // ERROR "cannot use nil as int value in variable declaration"
	_ = x
}
