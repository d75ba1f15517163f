// primes-trial: count the primes below a limit by trial division (integer
// remainder in a tight inner loop). Written for this project; it uses only the
// subset of Go that g2n compiles today (docs/language.md).
package main

import "fmt"

func main() {
	limit := 2000000
	count := 0
	last := 0
	for n := 2; n < limit; n++ {
		prime := true
		for d := 2; d*d <= n; d++ {
			if n%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			count++
			last = n
		}
	}
	fmt.Println(count, last)
}
