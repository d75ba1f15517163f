package main

func f(a ...int) {}

func main() {
	x := 1
	f(x...) // ERROR "cannot use x \\(variable of type int\\) as type \\[\\]int in argument to f"
}
