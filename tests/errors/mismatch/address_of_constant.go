package main

func main() {
	_ = &1 // ERROR "invalid operation: cannot take address of 1 \\(untyped int constant\\)"
}
