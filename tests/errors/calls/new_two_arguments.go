package main

func main() {
	_ = new(int, 2) // ERROR "invalid operation: too many arguments for new\\(int, 2\\) \\(expected 1, found 2\\)"
}
