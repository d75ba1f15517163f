package main

func main() {
	b := true
	b-- // ERROR "invalid operation: b-- \\(non-numeric type bool\\)"
}
