// A goroutine blocked on a Mutex stays in its process: the hop fails rather
// than leave it waiting on a copy of the mutex that no one will unlock.
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
