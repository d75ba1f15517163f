package main

func main() {
	x := (1 + 2)) // ERROR "syntax error: unexpected \\) at end of statement"
	_ = x
}
