package main

func main() {
	var a [2]int
	var b [3]int
	_ = a == b // ERROR "invalid operation: a == b \\(mismatched types \\[2\\]int and \\[3\\]int\\)"
}
