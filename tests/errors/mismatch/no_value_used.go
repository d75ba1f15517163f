package main

func f() {}

func main() {
	x := f() // ERROR "f\\(\\) \\(no value\\) used as value"
	_ = x
}
