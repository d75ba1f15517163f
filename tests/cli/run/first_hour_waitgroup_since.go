package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := make([]int, 5)
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			time.Sleep(10 * time.Millisecond)
			mu.Lock()
			results[n] = n * n
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Println("squares:", results)
	fmt.Println("took at least 10ms:", elapsed >= 10*time.Millisecond)
	fmt.Println("took under ten seconds:", elapsed < 10*time.Second)
}
