// leibniz-pi: pi from the Leibniz series and a midpoint-rule integral of
// 4/(1+x*x) (float64 arithmetic in a loop). Written for this project; it uses
// only the subset of Go that g2n compiles today (docs/language.md); the
// denominators and the midpoint are float64 variables of their own, so that
// the loops need no int-to-float conversions.
package main

import "fmt"

func main() {
	terms := 200000000
	sum := 0.0
	sign := 1.0
	den := 1.0
	for k := 0; k < terms; k++ {
		sum += sign / den
		sign = -sign
		den += 2.0
	}
	steps := 50000000
	h := 1.0 / 50000000.0
	integral := 0.0
	x := 0.5 * h
	for i := 0; i < steps; i++ {
		integral += 4.0 / (1.0 + x*x)
		x += h
	}
	fmt.Printf("%.12f\n%.12f\n", 4*sum, integral*h)
}
