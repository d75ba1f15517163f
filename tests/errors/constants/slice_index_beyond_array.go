package main

func main() {
	a := [3]int{}
	_ = a[1:4] // ERROR "invalid argument: index 4 out of bounds \\[0:4\\]"
}
