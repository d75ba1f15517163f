package main

func main() {
	a := [3]int{}
	_ = a[2:1] // ERROR "invalid slice indices: 1 < 2"
}
