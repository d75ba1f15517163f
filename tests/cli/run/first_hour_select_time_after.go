package main

import (
	"fmt"
	"time"
)

func worker(d time.Duration, out chan<- string) {
	time.Sleep(d)
	out <- fmt.Sprintf("done after %v", d)
}

func main() {
	fast := make(chan string, 1)
	go worker(10*time.Millisecond, fast)
	select {
	case msg := <-fast:
		fmt.Println("fast:", msg)
	case <-time.After(time.Second):
		fmt.Println("fast: timeout")
	}
	slow := make(chan string, 1)
	go worker(2*time.Second, slow)
	select {
	case msg := <-slow:
		fmt.Println("slow:", msg)
	case <-time.After(50 * time.Millisecond):
		fmt.Println("slow: timeout")
	}
	ticker := time.NewTicker(5 * time.Millisecond)
	defer ticker.Stop()
	n := 0
	for range ticker.C {
		n++
		if n == 3 {
			break
		}
	}
	fmt.Println("ticks:", n)
}
