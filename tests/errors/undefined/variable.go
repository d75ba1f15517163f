package main

func main() {
	println(x) // ERROR "undefined: x"
}
