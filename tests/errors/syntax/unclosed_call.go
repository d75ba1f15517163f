package main

func main() {
	println(1, 2 // ERROR "syntax error: unexpected newline in argument list; possibly missing comma or \\)"
	println(3)
}
