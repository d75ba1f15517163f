package main

func main() {
	var a [2]int = []int{1, 2} // ERROR "cannot use \\[\\]int\\{…\\} \\(value of type \\[\\]int\\) as type \\[2\\]int in variable declaration"
	_ = a
}
