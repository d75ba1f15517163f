package main

func main() {
	_ = int(true) // ERROR "cannot convert true \\(untyped bool constant\\) to type int"
}
