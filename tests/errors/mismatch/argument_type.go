package main

func f(x int) {}

func main() {
	f("a") // ERROR "cannot use \"a\" \\(untyped string constant\\) as int value in argument to f"
}
