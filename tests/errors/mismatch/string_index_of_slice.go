package main

func main() {
	a := []int{1}
	_ = a["x"] // ERROR "cannot convert \"x\" \\(untyped string constant\\) to int"
}
