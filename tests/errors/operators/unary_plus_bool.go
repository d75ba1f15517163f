package main

func main() {
	_ = +true // ERROR "invalid operation: operator \\+ not defined on true \\(untyped bool constant\\)"
}
