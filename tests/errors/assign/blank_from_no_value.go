package main

func f() {}

func main() {
	_ = f() // ERROR "f\\(\\) \\(no value\\) used as value"
}
