package main

func f(a int) {}

func main() {
	s := []int{}
	f(s...) // ERROR "cannot use \\.\\.\\. in call to non-variadic f"
}
