package main

func main() {
	f := func() {
		z := 1 // ERROR "z declared but not used"
	}
	f()
}
