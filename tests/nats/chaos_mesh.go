package main

import "fmt"

// Five nanoservices in a row (the entry, b, c, d, e): the chaos test of
// tests/nats_chaos.rs runs many flows of it while hosts and a NATS node die.
func main() {
	total := 0
	for i := 1; i <= 3; i++ {
		total += i * i
	}
	fmt.Println("a", total)
	goToNetwork 'b'
	total = total*3 + 1
	fmt.Println("b", total)
	goToNetwork 'c'
	words := []string{"x", "y"}
	total += len(words)
	fmt.Println("c", total, words)
	goToNetwork 'd'
	total = total % 7
	fmt.Println("d", total)
	goToNetwork 'e'
	fmt.Println("e", total*total)
}
