// A range over a map whose body hops: the iteration goes on after each hop,
// deleted keys are skipped, labeled continue leaves the inner loop.
package main

import (
	"fmt"
	"sort"
)

type P struct{ X, Y int }

func main() {
	m := map[string]P{"a": {1, 2}, "b": {3, 4}, "c": {5, 6}}
	var seen []string
	sum := 0
	for k, v := range m {
		goToNetwork 'worker'
		seen = append(seen, k)
		sum += v.X + v.Y
		goToNetwork 'other'
	}
	sort.Strings(seen)
	fmt.Println(seen, sum)

	visited := 0
	for k := range m {
		goToNetwork 'worker'
		visited++
		for _, other := range []string{"a", "b", "c"} {
			if other != k {
				delete(m, other)
			}
		}
	}
	fmt.Println(visited, len(m))

	counts := map[int]int{1: 10, 2: 20}
	count := 0
outer:
	for key, n := range counts {
		for i := 0; i < 3; i++ {
			goToNetwork 'worker'
			count += n / 10
			if i == 1 {
				continue outer
			}
			_ = key
		}
	}
	fmt.Println(count)
}
