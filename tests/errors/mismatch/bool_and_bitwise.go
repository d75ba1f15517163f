package main

func main() {
	_ = true & false // ERROR "invalid operation: operator & not defined on true \\(untyped bool constant\\)"
}
