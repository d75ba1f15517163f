// collatz: total and longest Collatz chain for every start below a limit
// (integer loops, branches, division). Written for this project; it uses only
// the subset of Go that g2n compiles today (docs/language.md).
package main

import "fmt"

func main() {
	limit := 1500000
	total := 0
	longest := 0
	longestStart := 0
	for n := 1; n < limit; n++ {
		steps := 0
		for x := n; x != 1; steps++ {
			if x%2 == 0 {
				x = x / 2
			} else {
				x = 3*x + 1
			}
		}
		total += steps
		if steps > longest {
			longest = steps
			longestStart = n
		}
	}
	fmt.Println(total, longest, longestStart)
}
