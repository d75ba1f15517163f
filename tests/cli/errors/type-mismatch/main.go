package main

import "fmt"

func main() {
	count := 1
	count = "one"
	fmt.Println(count + "s")
}
