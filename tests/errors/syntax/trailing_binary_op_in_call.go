package main

func main() {
	println(1 *) // ERROR "syntax error: unexpected \\), expecting expression"
}
