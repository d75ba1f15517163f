package main

func main() {
	x := 1
	const c = x // ERROR "x \\(variable of type int\\) is not constant"
	_ = c
}
