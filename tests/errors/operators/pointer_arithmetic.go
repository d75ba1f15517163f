package main

func main() {
	p := new(int)
	_ = p + 1 // ERROR "cannot convert 1 \\(untyped int constant\\) to \\*int"
}
