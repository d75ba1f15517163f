// Goroutines alive at a hop inside one process: the flow goes on beside
// them, and the variables it carries are the ones they use (the scope is
// shared, not copied), so the program prints what Go prints. Across
// processes the same hops are refused (tests/split/refused).
package main

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

type counter struct {
	mu sync.Mutex
	n  int
}

func main() {
	// A goroutine blocked sending on an unbuffered channel.
	messages := make(chan string)
	go func() { messages <- "ping" }()
	goToNetwork 'receiver'
	fmt.Println(<-messages)

	// A goroutine writes through a pointer after the hop; the flow sees it.
	box := &counter{}
	start := make(chan bool)
	done := make(chan bool)
	go func() {
		<-start
		box.mu.Lock()
		box.n = 42
		box.mu.Unlock()
		done <- true
	}()
	goToNetwork 'writer'
	start <- true
	<-done
	fmt.Println("box", box.n)

	// Workers and a WaitGroup, waited for on the other side of a hop.
	var wg sync.WaitGroup
	results := make(chan int, 10)
	for i := 1; i <= 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results <- i * i
		}(i)
	}
	goToNetwork 'waiter'
	wg.Wait()
	close(results)
	var squares []int
	for r := range results {
		squares = append(squares, r)
	}
	sort.Ints(squares)
	fmt.Println("squares", squares)

	// A running timer and a sleeping goroutine cross a hop.
	timer := time.NewTimer(20 * time.Millisecond)
	woke := make(chan string)
	go func() {
		time.Sleep(10 * time.Millisecond)
		woke <- "slept"
	}()
	goToNetwork 'sleeper'
	fmt.Println(<-woke)
	<-timer.C
	fmt.Println("timer fired")

	// A pipeline whose stages stay where they started while the flow hops
	// in a loop.
	nums := make(chan int)
	doubled := make(chan int)
	go func() {
		for i := 0; i < 4; i++ {
			nums <- i
		}
		close(nums)
	}()
	go func() {
		for n := range nums {
			doubled <- 2 * n
		}
		close(doubled)
	}()
	total := 0
	for d := range doubled {
		goToNetwork 'summer'
		total += d
	}
	fmt.Println("total", total)

	// select over two channels after a hop.
	a, b := make(chan int), make(chan int)
	go func() { a <- 1 }()
	go func() { b <- 2 }()
	goToNetwork 'selector'
	got := 0
	for i := 0; i < 2; i++ {
		select {
		case x := <-a:
			got += x
		case y := <-b:
			got += 10 * y
		}
	}
	fmt.Println("selected", got)
}
