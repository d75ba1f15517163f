package main

func main() {
	var a [...]int // ERROR "invalid use of \\[\\.\\.\\.\\] array \\(outside a composite literal\\)"
	_ = a
}
