package main

type T struct{}

func (T) M() {}

func main() {
	var t T
	t.M = nil // ERROR "cannot assign to t\\.M \\(value of type func\\(\\)\\)"
}
