package main

import (
	"fmt"
	"sort"
)

// Helpers whose closures and pointer variables escape analysis keeps in
// their frames (crates/codegen/src/escape.rs) run between hops, and values
// that do escape from them (into a global, a result, a closure kept in
// main) travel across the hops with main's scope.

var keptPtr *int

func search(a []int, x int) int {
	return sort.Search(len(a), func(i int) bool { return a[i] >= x })
}

func sum(x int) int {
	var arr [8]int
	for i := range arr {
		arr[i] = x + i
	}
	s := arr[2:]
	t := s[:3]
	total := 0
	apply(func() {
		for _, v := range t {
			total += v
		}
	})
	return total
}

func apply(f func()) { f() }

func keepAddress(x int) {
	apply(func() { keptPtr = &x })
}

func counter(n int) func() int {
	return func() int { n++; return n }
}

func tail(x int) []int {
	var arr [4]int
	for i := range arr {
		arr[i] = x + i
	}
	s := arr[:]
	s = s[2:]
	return s
}

func main() {
	a := []int{1, 3, 5, 7, 9}
	next := counter(100)
	var tails [][]int
	for i := 0; i < 3; i++ {
		goToNetwork 'search'
		fmt.Println("search:", search(a, 2*i+4), sum(10*i))
		keepAddress(i + 50)
		tails = append(tails, tail(10*i))
		goToNetwork 'use'
		fmt.Println("kept:", *keptPtr, next(), tails[i])
	}
	fmt.Println("tails:", tails)
}
