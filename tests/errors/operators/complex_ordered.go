package main

import "fmt"

func main() {
	a, b := 1+2i, 3-1i
	if a < b { // ERROR "invalid operation: a < b \\(operator < not defined on complex128\\)"
		fmt.Println("smaller")
	}
}
