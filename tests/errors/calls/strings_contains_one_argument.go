package main

import "strings"

func main() {
	_ = strings.Contains("a") // ERROR "not enough arguments in call to strings\\.Contains"
}
