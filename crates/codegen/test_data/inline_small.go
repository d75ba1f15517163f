// A small leaf function inlined into its caller's loop, and a method on a
// struct reached through a pointer (nil check, field address).
// clif: square sumSquares add
package main

type counter struct{ n int }

func (c *counter) add(d int) { c.n += d }

func square(x int) int { return x * x }

func sumSquares(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		total += square(i)
	}
	return total
}

func main() {
	c := &counter{}
	c.add(sumSquares(4))
	println(c.n)
}
