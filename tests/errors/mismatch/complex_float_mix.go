package main

import "fmt"

func scale(c complex128, f float64) complex128 {
	return c * f // ERROR "invalid operation: c \\* f \\(mismatched types complex128 and float64\\)"
}

func main() {
	fmt.Println(scale(1i, 2))
}
