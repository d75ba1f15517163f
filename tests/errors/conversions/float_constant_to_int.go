package main

func main() {
	_ = int(1.5) // ERROR "cannot convert 1\\.5 \\(untyped float constant\\) to type int"
}
