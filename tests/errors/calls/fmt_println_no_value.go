package main

import "fmt"

func f() {}

func main() {
	fmt.Println(f()) // ERROR "f\\(\\) \\(no value\\) used as value"
}
