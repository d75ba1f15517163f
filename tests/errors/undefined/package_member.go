package main

import "fmt"

func main() {
	fmt.Printx("hi") // ERROR "undefined: fmt\\.Printx"
}
