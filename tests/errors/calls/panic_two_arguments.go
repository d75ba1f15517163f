package main

func main() {
	panic("a", "b") // ERROR "invalid operation: too many arguments for panic\\(\"a\", \"b\"\\) \\(expected 1, found 2\\)"
}
