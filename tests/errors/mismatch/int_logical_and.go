package main

func main() {
	_ = 1 && 2 // ERROR "invalid operation: operator && not defined on 1 \\(untyped int constant\\)"
}
