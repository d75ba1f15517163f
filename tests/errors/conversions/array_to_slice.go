package main

func main() {
	var a [2]int
	_ = []int(a) // ERROR "cannot convert a \\(variable of type \\[2\\]int\\) to type \\[\\]int"
}
