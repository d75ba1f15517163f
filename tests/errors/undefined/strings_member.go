package main

import "strings"

func main() {
	_ = strings.Reverse("hi") // ERROR "undefined: strings\\.Reverse"
}
