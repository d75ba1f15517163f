package main

import "fmt"

func main() {
	re := 2.0
	fmt.Println(complex(re, 1i)) // ERROR "1i \\(untyped complex constant \\(0 \\+ 1i\\)\\) overflows float64"
}
