package main

type T struct{}

func (T) M() {}

func main() {
	var t T
	t.M(1) // ERROR "too many arguments in call to t\\.M"
}
