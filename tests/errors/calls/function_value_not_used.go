package main

func f() int { return 1 }

func main() {
	f // ERROR "f \\(value of type func\\(\\) int\\) is not used"
}
