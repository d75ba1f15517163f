package main

func main() {
	_ = true + "a" // ERROR "invalid operation: true \\+ \"a\" \\(mismatched types untyped bool and untyped string\\)"
}
