package main

import "fmt"

func main() {
	fmt.Println("a")
	goToNetwork '../../escaped'
	fmt.Println("b")
	goToNetwork '..'
	fmt.Println("c")
}
