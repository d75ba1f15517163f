package main

func main() {
	_ = bool("true") // ERROR "cannot convert \"true\" \\(untyped string constant\\) to type bool"
}
