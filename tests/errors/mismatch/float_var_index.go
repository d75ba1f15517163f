package main

func main() {
	a := []int{1}
	f := 0.0
	_ = a[f] // ERROR "invalid argument: index f \\(variable of type float64\\) must be integer"
}
