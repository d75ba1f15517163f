package main

import "fmt"

func main() {
	a := 10
	b := 0
	fmt.Println("dividing")
	fmt.Println(a / b)
}
