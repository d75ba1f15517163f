package main

func main() {
	_ = string([]int{1}) // ERROR "cannot convert \\[\\]int\\{…\\} \\(value of type \\[\\]int\\) to type string"
}
