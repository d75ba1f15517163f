package main

func main() {
	copy([]int{}) // ERROR "invalid operation: not enough arguments for copy\\(\\[\\]int\\{\\}\\) \\(expected 2, found 1\\)"
}
