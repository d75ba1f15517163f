package main

type T struct{ t T } // ERROR "invalid recursive type T"

func main() {
	var t T
	_ = t
}
