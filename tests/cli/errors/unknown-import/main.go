package main

import (
	"fmt"
	"tme"
)

func main() {
	start := tme.Now()
	var d tme.Duration = 3 * tme.Second
	fmt.Println("working", d)
	elapsed := tme.Since(start)
	fmt.Println(elapsed)
}
