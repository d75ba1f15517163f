// sync and time values at a hop: a locked Mutex, a WaitGroup with a count,
// an RWMutex, a Once, atomic values and a stopped Timer travel as their
// state (no goroutine waits on them: one that did would be alive, and the
// hop refused); a time.Time and a Duration travel as values.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

type counter struct {
	mu sync.Mutex
	n  int
}

func main() {
	var mu sync.Mutex
	mu.Lock()
	var wg sync.WaitGroup
	wg.Add(2)
	c := &counter{}
	c.mu.Lock()
	var rw sync.RWMutex
	rw.RLock()
	var once sync.Once
	once.Do(func() { fmt.Println("once, before the hop") })
	var hits atomic.Int64
	hits.Add(3)
	// A running timer refuses a hop (tests/split/refused/running_timer.go):
	// under --split per-line every line hops, so it is started and stopped
	// on one line, and reset and waited for on one line below.
	t := time.NewTimer(time.Hour); stopped := t.Stop()
	when := time.Date(2024, time.February, 29, 12, 30, 0, 0, time.UTC)
	d := 90 * time.Minute
	goToNetwork 'other'
	fmt.Println("stopped before the hop:", stopped)
	fmt.Println("still locked:", !mu.TryLock(), !c.mu.TryLock(), !rw.TryLock())
	mu.Unlock()
	c.n++
	c.mu.Unlock()
	rw.RUnlock()
	fmt.Println("unlocked:", mu.TryLock(), c.mu.TryLock(), rw.TryLock(), c.n)
	wg.Done()
	wg.Done()
	wg.Wait()
	once.Do(func() { fmt.Println("once, after the hop") })
	hits.Add(1)
	fmt.Println("hits:", hits.Load())
	fmt.Println("timer stopped again:", t.Stop(), "reset:", t.Reset(time.Millisecond)); <-t.C
	fmt.Println("timer fired after the hop")
	fmt.Println(when, when.Add(d), d)
}
