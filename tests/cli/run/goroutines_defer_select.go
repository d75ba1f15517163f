package main

import "fmt"

type counter struct {
	name string
	n    int
}

func (c *counter) run(times int, done chan<- string) {
	for i := 0; i < times; i++ {
		c.n++
	}
	done <- fmt.Sprintf("%s counted %d", c.name, c.n)
}

// Each goroutine has its own defer frames and panics: a goroutine recovers
// its own panic while main has deferred calls pending.
func safeDivide(a, b int, out chan<- string) {
	defer func() {
		if r := recover(); r != nil {
			out <- fmt.Sprint("recovered: ", r)
		}
	}()
	out <- fmt.Sprint("quotient: ", a/b)
}

func spawnTree(depth int, out chan<- int) {
	if depth == 0 {
		out <- 1
		return
	}
	sub := make(chan int)
	go spawnTree(depth-1, sub)
	go spawnTree(depth-1, sub)
	out <- <-sub + <-sub
}

func main() {
	defer fmt.Println("main's deferred call runs last")

	done := make(chan string)
	c := &counter{name: "c"}
	go c.run(5, done)
	fmt.Println(<-done)

	out := make(chan string, 2)
	go safeDivide(10, 2, out)
	go safeDivide(1, 0, out)
	fmt.Println(<-out)
	fmt.Println(<-out)

	leaves := make(chan int)
	go spawnTree(6, leaves)
	fmt.Println("leaves:", <-leaves)

	sync := make(chan bool)
	go func() { sync <- true }()
	<-sync

	// break leaves the select; a labeled break leaves the loop.
	ticks := make(chan int)
	stop := make(chan bool)
	go func() {
		for i := 1; i <= 5; i++ {
			ticks <- i
		}
		stop <- true
	}()
	total := 0
loop:
	for {
		select {
		case t := <-ticks:
			if t%2 == 0 {
				break
			}
			total += t
		case <-stop:
			break loop
		}
	}
	fmt.Println("odd ticks:", total)

	// A select that sends on whichever channel has room.
	a := make(chan int, 1)
	b := make(chan int, 1)
	sent := 0
	for i := 0; i < 2; i++ {
		select {
		case a <- i:
			sent++
		case b <- i:
			sent++
		}
	}
	fmt.Println("sent:", sent, len(a)+len(b))
	select {
	case a <- 9:
		fmt.Println("unexpected")
	case b <- 9:
		fmt.Println("unexpected")
	default:
		fmt.Println("both full")
	}

	// Receive with ok in a select, from a closed channel.
	fin := make(chan int)
	close(fin)
	select {
	case v, ok := <-fin:
		fmt.Println("closed:", v, ok)
	}
	fmt.Printf("%T %T %T\n", fin, (<-chan int)(fin), (chan<- int)(fin))
}
