package main

func main() {
	x := 1
	_ = x == nil // ERROR "invalid operation: x == nil \\(mismatched types int and untyped nil\\)"
}
