package main

func main() {
	_ = len("a", "b") // ERROR "invalid operation: too many arguments for len\\(\"a\", \"b\"\\) \\(expected 1, found 2\\)"
}
