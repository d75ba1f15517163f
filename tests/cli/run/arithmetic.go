package main

import "fmt"

func main() {
	a := 17
	b := -5
	fmt.Println(a+b, a-b, a*b, a/b, a%b, -a/5, -a%5)
	var big int = 9223372036854775807
	fmt.Println(big+1 < 0, big/-1)
	x := 0
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			continue
		}
		x += i
	}
	fmt.Println("sum of odd digits:", x)
	n := 27
	steps := 0
	for n != 1 {
		if n%2 == 0 {
			n = n / 2
		} else {
			n = 3*n + 1
		}
		steps++
	}
	fmt.Println("collatz steps", steps)
	const k = 1 << 3
	fmt.Println(k*k, 7&^5, 6|9, 6^3, ^0)
}
