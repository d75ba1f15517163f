package main

func main() {
	a := []int{1}
	_ = a[1.5] // ERROR "1\\.5 \\(untyped float constant\\) truncated to int"
}
