// Deferred calls of main travel with the flow and run where main ends, also
// when a panic ends it after the hop that follows the defer.
package main

import "fmt"

type counter struct{ n int }

func (c *counter) report(label string) { fmt.Println(label, c.n) }

func main() {
	x := 1
	c := &counter{}
	defer fmt.Println("deferred first", x)
	defer c.report("counter at exit")
	x++
	goToNetwork 'b'
	c.n += 10
	for i := 0; i < 3; i++ {
		defer func(i int) { fmt.Println("loop defer", i, x) }(i)
		goToNetwork 'c'
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r, x)
		}
	}()
	x++
	goToNetwork 'c'
	c.n++
	var a []int
	fmt.Println("about to panic", x)
	_ = a[x]
}
