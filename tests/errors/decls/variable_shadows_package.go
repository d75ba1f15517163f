package main

import "fmt" // ERROR "imported and not used: \"fmt\""

func main() {
	fmt := 1
	fmt.Println("x")
}
