package main

func f() {}

func main() {
	f = nil // ERROR "cannot assign to f \\(value of type func\\(\\)\\)"
}
