// main waits on a WaitGroup that nothing will bring to zero.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go wg.Done()
	fmt.Println("waiting")
	wg.Wait()
}
