package main

func main() {
	1 + 2 // ERROR "1 \\+ 2 \\(untyped int constant 3\\) is not used"
}
