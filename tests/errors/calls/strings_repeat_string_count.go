package main

import "strings"

func main() {
	_ = strings.Repeat("a", "b") // ERROR "cannot use \"b\" \\(untyped string constant\\) as int value in argument to strings\\.Repeat"
}
