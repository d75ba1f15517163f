// sync: a bounded buffer guarded by a Mutex with two Conds (producers and
// consumers park on them), an RWMutex with readers and a writer, Once under
// 100 goroutines, sync.Map and sync.Pool. Every output line is independent
// of the schedule.
package main

import (
	"fmt"
	"sort"
	"sync"
)

type queue struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	items    []int
	cap      int
}

func newQueue(n int) *queue {
	q := &queue{cap: n}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

func (q *queue) put(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == q.cap {
		q.notFull.Wait()
	}
	q.items = append(q.items, v)
	q.notEmpty.Signal()
}

func (q *queue) get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.notEmpty.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.notFull.Signal()
	return v
}

func producerConsumer() {
	q := newQueue(2)
	var wg sync.WaitGroup
	const producers, each = 3, 50
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				q.put(p*1000 + i)
			}
		}(p)
	}
	results := make(chan int)
	for c := 0; c < 2; c++ {
		go func() {
			sum := 0
			for i := 0; i < producers*each/2; i++ {
				sum += q.get()
			}
			results <- sum
		}()
	}
	total := <-results + <-results
	wg.Wait()
	fmt.Println("producer/consumer total:", total, "left:", len(q.items))
}

func onceUnderMany() {
	var once sync.Once
	var wg sync.WaitGroup
	calls := 0
	var mu sync.Mutex
	seen := 0
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { calls++ })
			mu.Lock()
			seen++
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("once calls:", calls, "goroutines:", seen)
	// A panicking f counts as done.
	var o2 sync.Once
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		o2.Do(func() { panic("in once") })
	}()
	o2.Do(func() { fmt.Println("not printed") })
	fmt.Println("after panic in Do")
}

func rwMutex() {
	var rw sync.RWMutex
	var wg sync.WaitGroup
	shared := map[string]int{}
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rw.Lock()
			shared[fmt.Sprint("k", w)] = w
			rw.Unlock()
		}(w)
	}
	reads := make(chan int, 10)
	for r := 0; r < 10; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rw.RLock()
			reads <- len(shared)
			rw.RUnlock()
		}()
	}
	wg.Wait()
	close(reads)
	n := 0
	for range reads {
		n++
	}
	fmt.Println("reads:", n, "entries:", len(shared))
	fmt.Println("TryLock:", rw.TryLock(), rw.TryRLock(), rw.TryLock())
	rw.Unlock()
	fmt.Println("TryRLock:", rw.TryRLock(), rw.TryRLock(), rw.TryLock())
	rw.RUnlock()
	rw.RUnlock()
	l := rw.RLocker()
	l.Lock()
	fmt.Println("RLocker holds a read lock:", !rw.TryLock())
	l.Unlock()
	var m sync.Mutex
	fmt.Println("Mutex.TryLock:", m.TryLock(), m.TryLock())
	m.Unlock()
	var locker sync.Locker = &m
	locker.Lock()
	locker.Unlock()
}

func mapAndPool() {
	var m sync.Map
	m.Store("a", 1)
	m.Store("b", 2)
	v, ok := m.Load("a")
	fmt.Println("Load:", v, ok)
	v, ok = m.Load("z")
	fmt.Println("Load missing:", v, ok)
	actual, loaded := m.LoadOrStore("a", 10)
	fmt.Println("LoadOrStore:", actual, loaded)
	actual, loaded = m.LoadOrStore("c", 3)
	fmt.Println("LoadOrStore new:", actual, loaded)
	v, loaded = m.LoadAndDelete("b")
	fmt.Println("LoadAndDelete:", v, loaded)
	m.Delete("nothing")
	var keys []string
	m.Range(func(k, v any) bool {
		keys = append(keys, fmt.Sprint(k, "=", v))
		return true
	})
	sort.Strings(keys)
	fmt.Println("Range:", keys)
	count := 0
	m.Range(func(k, v any) bool {
		count++
		return false
	})
	fmt.Println("Range stops:", count)

	made := 0
	p := sync.Pool{New: func() any { made++; return new([64]byte) }}
	b := p.Get().(*[64]byte)
	b[0] = 7
	p.Put(b)
	b2 := p.Get().(*[64]byte)
	fmt.Println("Pool:", made >= 1, b2 != nil)
	var empty sync.Pool
	fmt.Println("empty Pool:", empty.Get())
}

func main() {
	producerConsumer()
	onceUnderMany()
	rwMutex()
	mapAndPool()
}
