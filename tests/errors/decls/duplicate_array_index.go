package main

func main() {
	_ = [2]int{0: 1, 0: 2} // ERROR "duplicate index 0 in array or slice literal"
}
