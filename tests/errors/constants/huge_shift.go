package main

func main() {
	_ = 1 << 10000 // ERROR "invalid operation: invalid shift count 10000 \\(untyped int constant\\)"
}
