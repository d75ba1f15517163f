package main

func main() {
	x := 1__0 // ERROR "'_' must separate successive digits"
	_ = x
}
