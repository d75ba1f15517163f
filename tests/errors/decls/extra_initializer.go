package main

func main() {
	var a, b = 1, 2, 3 // ERROR "extra init expr 3"
	_, _ = a, b
}
