package main

const a int = 1

const b string = a // ERROR "cannot use a \\(constant 1 of type int\\) as type string in constant declaration"

func main() {
	_ = b
}
