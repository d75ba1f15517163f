package main

import "fmt"

// Values reachable only from goroutines that are not running must survive
// garbage collection: from a parked goroutine's stack, from the stack of
// main while another goroutine runs, and from the closure of a goroutine
// that has not started yet. Each phase allocates plenty of garbage of the
// same size in between, so freed memory would be reused and the sums would
// come out wrong.

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

func want(n, seed int) int {
	total := 0
	for i := 0; i < n; i++ {
		total += seed*1000 + i
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

func keeper(id int, ready chan<- bool, start <-chan bool, out chan<- bool) {
	list := build(500, id)
	ready <- true
	<-start
	out <- sum(list) == want(500, id)
}

func main() {
	// Parked goroutines hold their lists on their own stacks.
	ready := make(chan bool)
	start := make(chan bool)
	out := make(chan bool)
	for i := 0; i < 20; i++ {
		go keeper(i, ready, start, out)
	}
	for i := 0; i < 20; i++ {
		<-ready
	}
	churn(300000)
	close(start)
	good := 0
	for i := 0; i < 20; i++ {
		if <-out {
			good++
		}
	}
	fmt.Println("parked goroutines kept their values:", good)

	// Main's list lives on main's stack while another goroutine churns.
	mine := build(2000, 7)
	finished := make(chan int)
	go func() { finished <- churn(300000) }()
	<-finished
	fmt.Println("main kept its value:", sum(mine) == want(2000, 7))

	// Goroutines not started yet hold their lists in their closures only.
	results := make(chan bool, 10)
	for i := 0; i < 10; i++ {
		l := build(300, 40+i)
		seed := 40 + i
		go func() { results <- sum(l) == want(300, seed) }()
	}
	churn(300000)
	good = 0
	for i := 0; i < 10; i++ {
		if <-results {
			good++
		}
	}
	fmt.Println("unstarted goroutines kept their values:", good)
}
