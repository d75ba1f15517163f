// An index out of range three calls deep: every frame of a function that
// calls itself (neither Go nor g2n inlines one) is in the trace.
package main

import "fmt"

func depth(n int, a []int) int {
	if n == 0 {
		return a[5]
	}
	return depth(n-1, a) + 1
}

func main() {
	fmt.Println("start")
	a := []int{1, 2, 3}
	fmt.Println(depth(2, a))
}
