package main

type T struct{}

func main() {
	_ = T{} == 1 // ERROR "cannot convert 1 \\(untyped int constant\\) to struct\\{\\}"
}
