package main

func main() {
	_ = 1 / 0 // ERROR "invalid operation: division by zero"
}
