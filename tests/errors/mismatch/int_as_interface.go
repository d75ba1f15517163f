package main

type I interface{ M() }

func main() {
	var i I = 1 // ERROR "cannot use 1 \\(constant of type int\\) as type I in variable declaration:"
	_ = i
}
