package main

type I interface{ M() }

type T struct{}

func main() {
	var i I
	_ = i.(T) // ERROR "impossible type assertion: i\\.\\(T\\)"
}
