package main

import "fmt"

var greeting = "hi"
var hops = 0

func bump() {
	hops++
}

func main() {
	x := 10
	msg := greeting + "!"
	outer := 0
	for i := 0; i < 4; i++ {
		x := x + i
		goToNetwork 'inner'
		bump()
		if i == 1 {
			goToNetwork 'skip'
			continue
		}
		for j := 0; j < 3; j++ {
			if j == 2 {
				goToNetwork 'brk'
				break
			}
			outer += x * j
			goToNetwork 'inner'
		}
		fmt.Println(i, x, outer)
	}
	goToNetwork 'tail'
	fmt.Println(msg, x, outer, hops)
	k := 0
	for {
		k++
		if k > 3 {
			goToNetwork 'exit'
			break
		}
		goToNetwork 'spin'
	}
	fmt.Println("k", k)
}
