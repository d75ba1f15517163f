package main

import "fmt"

// Two goroutines that keep handing a value to each other run one after the
// other (each wakes the other, which runs next, as in Go); a third goroutine
// that was woken earlier still gets its turn, as Go's time slices give it.
func player(in <-chan int, out chan<- int, start chan bool) {
	for {
		v := <-in
		if start != nil {
			close(start)
			start = nil
		}
		out <- v + 1
	}
}

func main() {
	a := make(chan int)
	b := make(chan int)
	start := make(chan bool)
	done := make(chan string)
	go func() {
		<-start
		done <- "the waiting goroutine ran"
	}()
	go player(a, b, start)
	go player(b, a, nil)
	a <- 0
	fmt.Println(<-done)
}
