package main

func main() {
	_ = append() // ERROR "invalid operation: not enough arguments for append\\(\\) \\(expected 1, found 0\\)"
}
