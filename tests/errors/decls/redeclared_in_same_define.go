package main

func main() {
	a, a := 1, 2 // ERROR "a repeated on left side of :="
	_ = a
}
