package main

import "fmt"

// Every goroutine blocked: Go's "all goroutines are asleep - deadlock!",
// exit code 2. The helper goroutine finishes its work first.
func main() {
	results := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			results <- i
		}
	}()
	for i := 0; i < 3; i++ {
		fmt.Println("got", <-results)
	}
	fmt.Println("waiting for a fourth value")
	fmt.Println(<-results)
}
