// 100,000 goroutines that each block on a channel: Go keeps each on a
// small stack; here each has a large reserved stack of which only the
// touched pages cost memory (tests/cli.rs checks the peak RSS).
package main

import "fmt"

func main() {
	const n = 100000
	block := make(chan int)
	started := make(chan int)
	for i := 0; i < n; i++ {
		go func(i int) {
			started <- i
			<-block
		}(i)
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-started
	}
	fmt.Println(n, "goroutines blocked, sum", sum)
}
