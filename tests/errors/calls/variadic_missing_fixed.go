package main

func f(a int, b ...int) {}

func main() {
	f() // ERROR "not enough arguments in call to f"
}
