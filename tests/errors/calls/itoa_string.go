package main

import "strconv"

func main() {
	_ = strconv.Itoa("1") // ERROR "cannot use \"1\" \\(untyped string constant\\) as int value in argument to strconv\\.Itoa"
}
