package main

func f() {}

func main() {
	f()() // ERROR "f\\(\\) \\(no value\\) used as value or type"
}
