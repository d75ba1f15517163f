package main

import (
	"fmt"
	"os"
	"strconv"
)

// Fixture of tests/hygiene.rs: a plain loop hopping between two nanoservices
// of one host, os.Args[1] times around.
func main() {
	n, _ := strconv.Atoi(os.Args[1])
	s := 0
	for i := 0; i < n; i++ {
		goToNetwork 'ping'
		s += i % 3
		goToNetwork 'pong'
	}
	fmt.Println(s)
}
