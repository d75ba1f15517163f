// new with a type of another package (`new(sync.WaitGroup)`), which the
// checker took for an expression before ("sync.WaitGroup is not a type").
package main

import (
	"bytes"
	"fmt"
	"sync"
	"time"
)

func main() {
	wg := new(sync.WaitGroup)
	mu := new(sync.Mutex)
	n := 0
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			n++
			mu.Unlock()
		}()
	}
	wg.Wait()
	d := new(time.Duration)
	*d = 3 * time.Second
	b := new(bytes.Buffer)
	b.WriteString("buffer")
	fmt.Println(n, *d, b.String(), make([]time.Duration, 2))
}
