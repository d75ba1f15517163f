package main

func main() {
	_ = int("1") // ERROR "cannot convert \"1\" \\(untyped string constant\\) to type int"
}
