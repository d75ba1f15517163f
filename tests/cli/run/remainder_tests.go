// Remainders by powers of two compared with zero, for negative operands and
// every integer width, inside conditions joined by && and ||.
package main

import "fmt"

func main() {
	var i8 int8 = -64
	var u16 uint16 = 65534
	count := 0
	for x := -9; x <= 9; x++ {
		if x%2 == 0 && x%4 != 0 || x%8 == 0 {
			count++
			fmt.Print(x, " ")
		}
		if !(x%2 != 0) {
			count += 10
		}
	}
	fmt.Println()
	fmt.Println(count, i8%64 == 0, i8%32 != 0, u16%2 == 0, u16%4 == 0, 0 == u16%8)
	n := 0
	for x := 1; x < 1000 && n < 20; x++ {
		switch {
		case x%16 == 0, x%5 == 0 && x%2 != 0:
			n++
		}
	}
	fmt.Println(n)
}
