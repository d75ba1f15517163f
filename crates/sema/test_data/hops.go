// goToNetwork statements in main (the hop sites with the locals visible at
// each), with a deferred call that travels with the flow.
package main

import "fmt"

func main() {
	greeting := "hello"
	count := 2
	defer fmt.Println("done")
	goToNetwork 'worker'
	for i := 0; i < count; i++ {
		inner := i * 2
		goToNetwork 'printer'
		fmt.Println(greeting, inner)
	}
}
