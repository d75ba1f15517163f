package main

func main() {
	_ = -"a" // ERROR "invalid operation: operator - not defined on \"a\" \\(untyped string constant\\)"
}
