package main

import "fmt"

// A flow whose middle step computes for a while, so that a test can kill or
// stop the host running it (tests/nats.rs).
func main() {
	n := 1
	fmt.Println("start")
	goToNetwork 'work'
	for i := 0; i < 200000000; i++ {
		n = (n*31 + i) % 1000003
	}
	fmt.Println("work", n)
	goToNetwork 'finish'
	fmt.Println("done", n%7)
}
