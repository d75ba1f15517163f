package main

import "fmt"

type point struct {
	x, y int
	name string
}

func producer(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i * i
	}
	close(out)
}

func summer(in <-chan int, done chan<- int) {
	total := 0
	for v := range in {
		total += v
	}
	done <- total
}

func worker(id int, jobs <-chan int, results chan<- string) {
	for j := range jobs {
		results <- fmt.Sprintf("worker %d did job %d", id, j)
	}
}

func mustPanic(name string, f func()) {
	defer func() {
		r := recover()
		fmt.Println(name, "recovered:", r != nil)
	}()
	f()
}

func fib(c, quit chan int) {
	x, y := 0, 1
	for {
		select {
		case c <- x:
			x, y = y, x+y
		case <-quit:
			fmt.Println("quit")
			return
		}
	}
}

func main() {
	// Unbuffered channels and a pipeline of goroutines.
	squares := make(chan int)
	done := make(chan int)
	go producer(squares, 10)
	go summer(squares, done)
	fmt.Println("sum of squares:", <-done)

	// Buffered channels keep FIFO order; len and cap.
	buf := make(chan string, 3)
	buf <- "a"
	buf <- "b"
	fmt.Println(len(buf), cap(buf))
	buf <- "c"
	fmt.Println(<-buf, <-buf, <-buf, len(buf))

	// Receiving from a closed channel: zero value and ok == false.
	closed := make(chan point, 2)
	closed <- point{1, 2, "p"}
	close(closed)
	p, ok := <-closed
	fmt.Println(p, ok)
	p, ok = <-closed
	fmt.Println(p, ok)

	// A worker pool; results gathered in a map so order does not matter.
	jobs := make(chan int, 100)
	results := make(chan string, 100)
	for w := 1; w <= 3; w++ {
		go worker(w, jobs, results)
	}
	for j := 1; j <= 9; j++ {
		jobs <- j
	}
	close(jobs)
	count := 0
	for i := 0; i < 9; i++ {
		if len(<-results) > 0 {
			count++
		}
	}
	fmt.Println("results:", count)

	// select with default, send cases and a nil channel.
	var nilChan chan int
	select {
	case v := <-nilChan:
		fmt.Println("impossible", v)
	default:
		fmt.Println("nil channel never ready")
	}
	c := make(chan int)
	quit := make(chan int)
	go func() {
		for i := 0; i < 10; i++ {
			fmt.Print(<-c, " ")
		}
		fmt.Println()
		quit <- 0
	}()
	fib(c, quit)

	// select receiving into existing variables and struct fields.
	var holder struct{ v int }
	var okFlag bool
	ready := make(chan int, 1)
	ready <- 42
	select {
	case holder.v, okFlag = <-ready:
	}
	fmt.Println(holder.v, okFlag)

	// Channels of channels, channels in interfaces, comparison.
	reqs := make(chan chan string)
	go func() {
		for reply := range reqs {
			reply <- "pong"
		}
	}()
	reply := make(chan string)
	reqs <- reply
	fmt.Println(<-reply)
	var any1 interface{} = reply
	fmt.Println(any1 == interface{}(reply), reply != nil, nilChan == nil)

	// Goroutines capture their arguments when the go statement runs.
	out := make(chan int, 5)
	for i := 0; i < 5; i++ {
		go func(n int) { out <- n * 10 }(i)
	}
	sum := 0
	for i := 0; i < 5; i++ {
		sum += <-out
	}
	fmt.Println("captured sum:", sum)

	// Run-time panics of channel operations.
	mustPanic("close closed", func() {
		ch := make(chan int)
		close(ch)
		close(ch)
	})
	mustPanic("close nil", func() {
		var ch chan int
		close(ch)
	})
	mustPanic("send closed", func() {
		ch := make(chan int, 1)
		close(ch)
		ch <- 1
	})

	// A blocked sender woken by close panics in its own goroutine, so here
	// only the receivers are shown waking up.
	gate := make(chan struct{})
	finished := make(chan string)
	for i := 0; i < 3; i++ {
		go func(id int) {
			<-gate
			finished <- fmt.Sprint("released ", id)
		}(i)
	}
	close(gate)
	released := 0
	for i := 0; i < 3; i++ {
		<-finished
		released++
	}
	fmt.Println("released:", released)
}
