package main

import (
	"fmt"
	"os"
)

func main() {
	count := 10
	var name string = 5
	fmt.Println("count is", count+"1")
	undefinedFunc(name)
}
