package main

func f() {}

func main() {
	f(1) // ERROR "too many arguments in call to f"
}
