package main

func main() {
	_ = make([]int) // ERROR "invalid operation: make\\(\\[\\]int\\) expects 2 or 3 arguments; found 1"
}
