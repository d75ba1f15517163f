package main

import (
	"fmt"
	"runtime"
)

func where() int {
	_, _, line, _ := runtime.Caller(0)
	return line
}

func boom(x int) int {
	return 10 / x
}

func main() {
	fmt.Println(where())
	fmt.Println(boom(0))
}
