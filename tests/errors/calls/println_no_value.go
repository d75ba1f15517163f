package main

func f() {}

func main() {
	println(f()) // ERROR "f\\(\\) \\(no value\\) used as value"
}
