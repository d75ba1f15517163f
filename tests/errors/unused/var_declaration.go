package main

func main() {
	var x int // ERROR "x declared but not used"
}
