// Values reachable only from a global, from strings made at run time and
// from an appended slice survive the collections that 800 MB of garbage
// (short-lived slices) triggers.
package main

import "fmt"

type Node struct {
	val  int
	next *Node
	name string
}

var global *Node

func churn(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		b := make([]int, 1000)
		b[i%1000] = i
		s += b[i%1000]
	}
	return s
}

func main() {
	for i := 0; i < 1000; i++ {
		global = &Node{val: i, next: global, name: fmt.Sprint("n", i)}
	}
	var parts []string
	for i := 0; i < 2000; i++ {
		parts = append(parts, fmt.Sprint("p", i))
	}
	churn(100000)
	sum, cnt := 0, 0
	for p := global; p != nil; p = p.next {
		sum += p.val
		cnt++
		if p.name != fmt.Sprint("n", p.val) {
			fmt.Println("bad name", p.name)
		}
	}
	ok := 0
	for i, p := range parts {
		if p == fmt.Sprint("p", i) {
			ok++
		}
	}
	fmt.Println(cnt, sum, ok)
}
