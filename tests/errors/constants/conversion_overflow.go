package main

func main() {
	_ = uint8(300) // ERROR "cannot convert 300 \\(untyped int constant\\) to type uint8"
}
