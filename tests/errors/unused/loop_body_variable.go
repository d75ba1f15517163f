package main

func main() {
	for i := 0; i < 3; i++ {
		y := i // ERROR "y declared but not used"
	}
}
