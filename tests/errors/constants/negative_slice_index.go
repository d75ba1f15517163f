package main

func main() {
	s := []int{1}
	_ = s[-1] // ERROR "invalid argument: index -1 \\(constant of type int\\) must not be negative"
}
