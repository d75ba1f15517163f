package main

func main() {
	x := 1
	x += "a" // ERROR "invalid operation: x \\+= \"a\" \\(mismatched types int and untyped string\\)"
}
