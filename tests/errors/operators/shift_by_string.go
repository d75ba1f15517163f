package main

func main() {
	x := 1
	_ = x << "a" // ERROR "cannot convert \"a\" \\(untyped string constant\\) to uint"
}
