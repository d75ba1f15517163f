package main

func main() {
	x := 1
	_ = x % 0 // ERROR "invalid operation: division by zero"
}
