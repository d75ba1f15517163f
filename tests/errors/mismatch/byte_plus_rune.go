package main

func main() {
	var b byte
	var r rune
	_ = b + r // ERROR "invalid operation: b \\+ r \\(mismatched types byte and rune\\)"
}
