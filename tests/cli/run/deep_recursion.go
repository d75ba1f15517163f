// A recursion a million frames deep on goroutine 1 and on another
// goroutine: Go grows its stacks up to 1 GB, g2n reserves them that large
// (docs/goroutines.md, "Stacks").
package main

import "fmt"

func depth(n int) int {
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1
}

type node struct {
	next *node
	n    int
}

// Frames larger than a page (the array) probe every page they cover.
func wide(n int) int {
	var pad [600]int
	pad[n%600] = n
	if n == 0 {
		return pad[0]
	}
	return wide(n-1) + pad[n%600] - n + 1
}

func build(n int) *node {
	if n == 0 {
		return nil
	}
	return &node{next: build(n - 1), n: n}
}

func main() {
	fmt.Println(depth(1000000))
	done := make(chan int)
	go func() { done <- depth(1000000) }()
	fmt.Println(<-done)
	go func() {
		l := build(1000000)
		sum := 0
		for ; l != nil; l = l.next {
			sum += l.n
		}
		done <- sum
	}()
	fmt.Println(<-done)
	fmt.Println(wide(20000))
	go func() { done <- wide(20000) }()
	fmt.Println(<-done)
}
