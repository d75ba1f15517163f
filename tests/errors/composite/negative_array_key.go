package main

func main() {
	_ = []int{-1: 1} // ERROR "invalid argument: index -1 \\(constant of type int\\) must not be negative"
}
