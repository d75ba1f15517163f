package main

import "fmt"
import "fmt" // ERROR "fmt redeclared in this block"

func main() {
	fmt.Println()
}
