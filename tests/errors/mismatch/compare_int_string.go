package main

func main() {
	var a int
	var b string
	_ = a == b // ERROR "invalid operation: a == b \\(mismatched types int and string\\)"
}
