package main

func main() {
	n := 2 // ERROR "n declared but not used"
	var a [n]int
	_ = a
}
