package main

func main() {
	x := 1
	_ = x << -1 // ERROR "invalid operation: negative shift count -1 \\(untyped int constant\\)"
}
