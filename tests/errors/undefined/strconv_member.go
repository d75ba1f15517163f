package main

import "strconv"

func main() {
	_, _ = strconv.ParseNumber("1") // ERROR "undefined: strconv\\.ParseNumber"
}
