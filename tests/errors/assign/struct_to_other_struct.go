package main

type A struct{}
type B struct{}

func main() {
	var a A = B{} // ERROR "cannot use B\\{\\} \\(value of type B\\) as type A in variable declaration"
	_ = a
}
