package main

func main() {
	f := func() {}
	_ = f == f // ERROR "invalid operation: f == f \\(func can only be compared to nil\\)"
}
