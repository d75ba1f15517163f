// fib-calls: naive doubly-recursive Fibonacci through a user function with a
// parameter and a result (call-heavy, about 30 million calls). Written for this
// project; it uses only the subset of Go that g2n compiles today. It is the
// program of the harness's `--smoke` run because it is quick.
package main

import "fmt"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	fmt.Println(fib(35))
}
