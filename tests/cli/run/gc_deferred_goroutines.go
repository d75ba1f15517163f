package main

import "fmt"

// Deferred calls of parked goroutines keep what they captured: the
// arguments of a deferred call live only in its closure object until it
// runs, which the runtime keeps where the collector sees it.

type node struct {
	val  int
	next *node
	pad  [6]int
}

func build(n, seed int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{val: seed*1000 + i, next: head}
	}
	return head
}

func sum(l *node) int {
	total := 0
	for ; l != nil; l = l.next {
		total += l.val
	}
	return total
}

func churn(rounds int) int {
	garbage := 0
	for i := 0; i < rounds; i++ {
		n := &node{val: -i}
		n.pad[0] = i
		garbage += n.pad[0] % 3
	}
	return garbage
}

func worker(id int, ready chan<- bool, start <-chan bool, out chan<- int) {
	defer func(l *node) {
		out <- sum(l)
	}(build(300, id))
	ready <- true
	<-start
}

func main() {
	ready := make(chan bool)
	start := make(chan bool)
	out := make(chan int, 10)
	for i := 0; i < 10; i++ {
		go worker(i, ready, start, out)
	}
	for i := 0; i < 10; i++ {
		<-ready
	}
	churn(400000)
	close(start)
	total := 0
	for i := 0; i < 10; i++ {
		total += <-out
	}
	fmt.Println(total)
}
