package main

func main() {
	defer len("a") // ERROR "defer discards result of len\\(\"a\"\\) \\(constant 1 of type int\\)"
}
