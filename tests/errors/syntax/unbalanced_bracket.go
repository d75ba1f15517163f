package main

func main() {
	a := []int{1}
	_ = a[0 // ERROR "syntax error: unexpected newline, expecting comma, : or \\]"
	println()
}
