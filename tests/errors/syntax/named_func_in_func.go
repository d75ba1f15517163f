package main

func main() {
	func f() {} // ERROR "syntax error: unexpected f, expecting \\("
	f()
}
