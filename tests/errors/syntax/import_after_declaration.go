package main

func f() {}

import "fmt" // ERROR "syntax error: non-declaration statement outside function body"

func main() {
	f()
	fmt.Println()
}
