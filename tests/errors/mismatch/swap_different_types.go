package main

func main() {
	var a int
	var b string
	a, b = b, a // ERROR "cannot use b \\(variable of type string\\) as type int in assignment"
}
