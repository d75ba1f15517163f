package main

import "fmt"

func main() {
	_ = fmt.Sprintf(1) // ERROR "cannot use 1 \\(untyped int constant\\) as string value in argument to fmt\\.Sprintf"
}
