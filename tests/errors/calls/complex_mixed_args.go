package main

import "fmt"

func main() {
	var re float64 = 1
	var im float32 = 2
	fmt.Println(complex(re, im)) // ERROR "invalid operation: complex\\(re, im\\) \\(mismatched types float64 and float32\\)"
}
