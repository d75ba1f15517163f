package main

type I interface{ M() }

type T struct{}

func main() {
	var i I = T{} // ERROR "cannot use T\\{\\} \\(value of type T\\) as type I in variable declaration:"
	_ = i
}
