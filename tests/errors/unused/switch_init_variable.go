package main

func main() {
	switch y := 2; { // ERROR "y declared but not used"
	}
}
