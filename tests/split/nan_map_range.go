// A range over a map whose body hops visits every entry once, those whose
// key is not equal to itself (NaN) included.
package main

import (
	"fmt"
	"math"
)

type point struct {
	x float64
	tag string
}

func main() {
	m := map[float64]int{math.NaN(): 1, 2: 2, math.NaN(): 4}
	n := 0
	for _, v := range m {
		goToNetwork 'x'
		n += v
	}
	fmt.Println(n, len(m))

	nanKeys := 0
	for k, v := range m {
		goToNetwork 'y'
		if k != k {
			nanKeys++
			n += v * 10
		}
	}
	fmt.Println(nanKeys, n)

	byPoint := map[point]string{{math.NaN(), "a"}: "nan", {1, "b"}: "one"}
	words := 0
	for _, w := range byPoint {
		goToNetwork 'x'
		words += len(w)
	}
	fmt.Println(words)

	var anyKeys = map[interface{}]int{math.NaN(): 5, "s": 6}
	total := 0
	for k := range anyKeys {
		goToNetwork 'y'
		total += anyKeys[k]
	}
	total2 := 0
	for _, v := range anyKeys {
		goToNetwork 'y'
		total2 += v
	}
	fmt.Println(total, total2)
}
