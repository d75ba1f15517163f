// A goroutine blocked on a Mutex stays in its process: a hop to another
// process fails rather than leave it waiting on a copy of the mutex that no
// one will unlock (inside one process the flow unlocks the same mutex).
package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		mu.Lock()
		fmt.Println("never")
	}()
	goToNetwork 'other'
	mu.Unlock()
}
