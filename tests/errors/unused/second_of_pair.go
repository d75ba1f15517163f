package main

func main() {
	a, b := 1, 2 // ERROR "b declared but not used"
	_ = a
}
