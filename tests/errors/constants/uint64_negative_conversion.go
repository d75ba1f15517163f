package main

func main() {
	_ = uint64(-5) // ERROR "cannot convert -5 \\(untyped int constant\\) to type uint64"
}
