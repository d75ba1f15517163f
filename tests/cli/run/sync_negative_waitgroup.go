// A WaitGroup counter below zero panics, and the panic can be recovered.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	wg.Done()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		wg.Done()
	}()
	var wg2 sync.WaitGroup
	fmt.Println("before")
	wg2.Add(-2)
}
