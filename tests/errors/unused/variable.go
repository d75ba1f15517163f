package main

func main() {
	x := 1 // ERROR "x declared but not used"
}
