package main

func main() {
	f := func() {}
	_ = int(f) // ERROR "cannot convert f \\(variable of type func\\(\\)\\) to type int"
}
