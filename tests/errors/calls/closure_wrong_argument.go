package main

func main() {
	f := func(n int) {}
	f("s") // ERROR "cannot use \"s\" \\(untyped string constant\\) as int value in argument to f"
}
