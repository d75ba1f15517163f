package main

func main() {
	if true {
	} else {
		q := 1 // ERROR "q declared but not used"
	}
}
