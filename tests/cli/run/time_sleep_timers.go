// time's clock-bound parts, printing only clock-independent facts: the
// issue's WaitGroup and time.Since, Sleep parking (10 goroutines sleeping
// 50 ms each finish together, well under the 500 ms a blocked thread would
// take), timers with Stop and Reset, select on time.After, AfterFunc and a
// Ticker.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	// The program.
	start := time.Now()
	var wg sync.WaitGroup
	results := make([]int, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(50 * time.Millisecond)
			results[i] = i * i
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Println(results)
	fmt.Println("slept at least 50ms:", elapsed >= 50*time.Millisecond, "in parallel:", elapsed < 400*time.Millisecond)

	// Sleepers wake in deadline order, whatever order they started in.
	order := make(chan int, 3)
	for _, ms := range []int{90, 10, 50} {
		go func(ms int) {
			time.Sleep(time.Duration(ms) * time.Millisecond)
			order <- ms
		}(ms)
	}
	fmt.Println("wake order:", <-order, <-order, <-order)
	time.Sleep(0)
	time.Sleep(-time.Second)

	// select on time.After: the channel that is ready first wins.
	slow := make(chan string)
	go func() {
		time.Sleep(200 * time.Millisecond)
		slow <- "slow"
	}()
	select {
	case s := <-slow:
		fmt.Println("unexpected", s)
	case <-time.After(20 * time.Millisecond):
		fmt.Println("timed out waiting for slow")
	}
	fmt.Println("slow arrives later:", <-slow)

	// Timers: Stop before firing, Reset, firing once.
	t := time.NewTimer(time.Hour)
	fmt.Println("stop pending:", t.Stop(), "stop again:", t.Stop())
	fmt.Println("reset stopped:", t.Reset(10*time.Millisecond))
	before := time.Now()
	fired := <-t.C
	fmt.Println("fired after reset:", fired.Sub(before) >= 10*time.Millisecond, !fired.Before(before))
	fmt.Println("stop fired:", t.Stop(), "reset fired:", t.Reset(5*time.Millisecond))
	<-t.C
	select {
	case <-t.C:
		fmt.Println("fired twice")
	case <-time.After(30 * time.Millisecond):
		fmt.Println("a timer fires once")
	}

	// AfterFunc runs f in its own goroutine; Stop cancels it.
	done := make(chan string)
	time.AfterFunc(10*time.Millisecond, func() { done <- "after func ran" })
	cancelled := time.AfterFunc(5*time.Millisecond, func() { done <- "cancelled func ran" })
	fmt.Println("cancel:", cancelled.Stop())
	fmt.Println(<-done)

	// A Ticker ticks until stopped.
	ticker := time.NewTicker(10 * time.Millisecond)
	tickStart := time.Now()
	ticks := 0
	for range ticker.C {
		ticks++
		if ticks == 3 {
			ticker.Stop()
			break
		}
	}
	fmt.Println("ticks:", ticks, "took at least 30ms:", time.Since(tickStart) >= 30*time.Millisecond)
	ticker.Reset(5 * time.Millisecond)
	<-ticker.C
	ticker.Stop()
	fmt.Println("ticker reset ticks")
	tick := time.Tick(5 * time.Millisecond)
	<-tick
	fmt.Println("Tick ticks; Tick(0) is nil:", time.Tick(0) == nil)

	// Timeouts in a worker pool.
	jobs := make(chan int)
	var mu sync.Mutex
	handled := 0
	for w := 0; w < 3; w++ {
		go func() {
			for j := range jobs {
				time.Sleep(time.Duration(j) * time.Millisecond)
				mu.Lock()
				handled++
				mu.Unlock()
			}
		}()
	}
	for j := 1; j <= 9; j++ {
		jobs <- j
	}
	close(jobs)
	deadline := time.After(500 * time.Millisecond)
	for {
		mu.Lock()
		n := handled
		mu.Unlock()
		if n == 9 {
			fmt.Println("all jobs handled")
			break
		}
		select {
		case <-deadline:
			fmt.Println("timed out with", n)
			return
		case <-time.After(2 * time.Millisecond):
		}
	}

	// Monotonic readings: Now's Sub, Since and Until agree in sign.
	a := time.Now()
	b := time.Now()
	fmt.Println(!b.Before(a), b.Sub(a) >= 0, time.Until(a) <= 0, time.Since(a) >= 0)
	fmt.Println("now has a zone:", a.Location() == time.Local, a.UTC().Location() == time.UTC)
}
