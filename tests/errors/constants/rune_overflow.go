package main

func main() {
	var r rune = 1 << 40 // ERROR "cannot use 1 << 40 \\(untyped int constant 1099511627776\\) as rune value in variable declaration \\(overflows\\)"
	_ = r
}
