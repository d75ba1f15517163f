package main

func main() {
	_ = "a" == 1 // ERROR "invalid operation: \"a\" == 1 \\(mismatched types untyped string and untyped int\\)"
}
