package main

import "fmt"

// Every goroutine asleep: Go's fatal error names where goroutine 1 waits,
// main.main at the receive's line.
func main() {
	results := make(chan int)
	go func() {
		results <- 1
	}()
	fmt.Println("got", <-results)
	fmt.Println("waiting for another")
	fmt.Println(<-results)
}
