package main

type T struct{}

func (T) M(a int) {}

func main() {
	T{}.M() // ERROR "not enough arguments in call to T\\{\\}\\.M"
}
