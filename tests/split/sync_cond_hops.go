// A sync.Cond used before a hop goes on working after it, on the same host
// or in another process (where it arrives at another address: its copy
// check must not read that as a copy), and a copy still panics as in Go.
package main

import (
	"fmt"
	"sync"
)

type box struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func main() {
	b := &box{}
	b.cond = sync.NewCond(&b.mu)
	b.mu.Lock()
	b.n = 1
	b.cond.Signal()
	b.mu.Unlock()
	var local sync.Cond
	local.L = &sync.Mutex{}
	local.Broadcast()
	goToNetwork 'after'
	b.mu.Lock()
	b.n++
	b.cond.Broadcast()
	b.mu.Unlock()
	local.Signal()
	fmt.Println("n", b.n)
	copied := *b.cond
	defer func() { fmt.Println("recovered:", recover()) }()
	copied.Signal()
}
