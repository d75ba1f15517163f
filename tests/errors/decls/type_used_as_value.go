package main

type T int

func main() {
	_ = T // ERROR "T \\(type\\) is not an expression"
}
