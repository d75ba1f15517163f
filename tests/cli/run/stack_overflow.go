// Unbounded recursion: Go prints `runtime: goroutine stack exceeds
// 1000000000-byte limit` and `fatal error: stack overflow` and exits with
// code 2, on goroutine 1 or (with the argument `goroutine`) on another one
// (tests/cli.rs checks the stderr lines).
package main

import (
	"fmt"
	"os"
)

func forever(n int) int {
	return forever(n+1) + 1
}

func main() {
	fmt.Println("before")
	if len(os.Args) > 1 && os.Args[1] == "goroutine" {
		done := make(chan int)
		go func() { done <- forever(0) }()
		fmt.Println(<-done)
	}
	fmt.Println(forever(0))
}
