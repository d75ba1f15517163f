package main

type T struct{}

func main() {
	_ = int(T{}) // ERROR "cannot convert T\\{\\} \\(value of type T\\) to type int"
}
