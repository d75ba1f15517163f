package main

func f(a int) {
	var a int // ERROR "a redeclared in this block"
	_ = a
}

func main() {
	f(1)
}
