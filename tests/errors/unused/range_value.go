package main

func main() {
	for i, v := range []int{1} { // ERROR "v declared but not used"
		_ = i
	}
}
