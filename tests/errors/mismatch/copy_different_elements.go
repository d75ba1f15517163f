package main

func main() {
	copy([]int{}, []string{}) // ERROR "invalid argument: arguments to copy \\[\\]int\\{\\} \\(value of type \\[\\]int\\) and \\[\\]string\\{\\} \\(value of type \\[\\]string\\) have different element types int and string"
}
