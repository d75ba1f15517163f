package main

func main() {
	var x int = "a" // ERROR "cannot use \"a\" \\(untyped string constant\\) as int value in variable declaration"
	_ = x
}
