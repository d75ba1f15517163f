// goToNetwork statements in main (the hop sites with the locals visible at
// each), a deferred call that travels with the flow, a range over a map
// whose body hops (it iterates over the keys, taken once), and calls of
// runtime-implemented stdlib functions.
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
	ages := make(map[string]int, 2)
	ages["ann"] = 3
	for name, age := range ages {
		goToNetwork 'reader'
		fmt.Println(name, fmt.Sprint(age))
	}
	n, err := fmt.Print("42")
	fmt.Println(n, err)
}
