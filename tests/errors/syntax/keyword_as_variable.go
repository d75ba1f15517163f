package main

func main() {
	var func int // ERROR "syntax error: unexpected func, expecting name"
	_ = func
}
