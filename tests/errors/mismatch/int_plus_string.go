package main

func main() {
	x := 1
	s := "a"
	_ = x + s // ERROR "invalid operation: x \\+ s \\(mismatched types int and string\\)"
}
