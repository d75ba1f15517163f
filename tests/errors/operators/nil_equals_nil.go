package main

func main() {
	_ = nil == nil // ERROR "invalid operation: nil == nil \\(operator == not defined on untyped nil\\)"
}
