package main

func main() {
	if x := 1; true { // ERROR "x declared but not used"
	}
}
