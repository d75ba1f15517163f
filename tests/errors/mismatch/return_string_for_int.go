package main

func f() int {
	return "a" // ERROR "cannot use \"a\" \\(untyped string constant\\) as int value in return statement"
}

func main() {
	_ = f()
}
