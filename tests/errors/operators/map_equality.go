package main

func main() {
	a, b := map[int]int{}, map[int]int{}
	_ = a == b // ERROR "invalid operation: a == b \\(map can only be compared to nil\\)"
}
