// Unlocking an unlocked Mutex is Go's fatal error (not a panic: the
// deferred call does not run and recover cannot stop it), exit code 2.
package main

import (
	"fmt"
	"sync"
)

func main() {
	defer func() {
		fmt.Println("not reached:", recover())
	}()
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
	fmt.Println("before")
	mu.Unlock()
	fmt.Println("after")
}
