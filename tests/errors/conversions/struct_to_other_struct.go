package main

type A struct{ x int }

type B struct{ y int }

func main() {
	_ = B(A{}) // ERROR "cannot convert A\\{\\} \\(value of type A\\) to type B"
}
