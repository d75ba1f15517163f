package main

import "fmt"

var calls int

func square(x int) int {
	calls++
	return x * x
}

func main() {
	total := 0
	name := "sum"
	unused := 42
	_ = unused
	for i := 0; i < 5; i++ {
		goToNetwork 'worker'
		total += square(i)
		if i%2 == 0 {
			goToNetwork 'even'
			fmt.Println("even", i, total)
		} else {
			goToNetwork 'odd'
			fmt.Println("odd", i)
		}
	}
	goToNetwork 'printer'
	fmt.Printf("%s = %d after %d calls\n", name, total, calls)
}
