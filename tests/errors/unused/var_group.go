package main

func main() {
	var (
		a = 1 // ERROR "a declared but not used"
	)
}
