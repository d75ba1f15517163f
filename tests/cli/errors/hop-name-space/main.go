package main

import "fmt"

func main() {
	fmt.Println("a")
	goToNetwork 'Worker Node'
	fmt.Println("b")
	goToNetwork 'worker node'
	fmt.Println("c")
}
