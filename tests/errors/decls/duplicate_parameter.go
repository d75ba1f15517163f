package main

func f(a int, a int) {} // ERROR "a redeclared in this block"

func main() {
	f(1, 2)
}
