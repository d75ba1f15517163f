package main

func main() {
	_ = "a" * 2 // ERROR "invalid operation: \"a\" \\* 2 \\(mismatched types untyped string and untyped int\\)"
}
