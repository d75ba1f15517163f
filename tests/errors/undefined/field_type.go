package main

type T struct{ x Qux } // ERROR "undefined: Qux"

func main() {
	var t T
	_ = t
}
