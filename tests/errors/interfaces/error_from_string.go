package main

func main() {
	var err error = "boom" // ERROR "cannot use \"boom\" \\(constant of type string\\) as type error in variable declaration:"
	_ = err
}
