package main

func main() {
	s := []int{}
	delete(s, 0) // ERROR "invalid argument: s \\(variable of type \\[\\]int\\) is not a map"
}
