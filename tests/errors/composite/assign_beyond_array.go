package main

func main() {
	var a [2]int
	a[2] = 1 // ERROR "invalid argument: index 2 out of bounds \\[0:2\\]"
}
