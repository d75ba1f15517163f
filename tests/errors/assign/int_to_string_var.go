package main

func main() {
	var s string
	s = 65 // ERROR "cannot use 65 \\(untyped int constant\\) as string value in assignment"
	_ = s
}
