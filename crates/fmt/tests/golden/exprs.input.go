package main

import "fmt"

func f(a, b, c int) int { return a*b+c }

func main() {
	a, b := 3, 4
	if (a > b) { fmt.Println("gt") } else if a == b {
		fmt.Println("eq")
	}
	for i := 0; i < a*2+1; i++ {
		fmt.Println(i, a + b * 2, (a+b)*2, -a, ^b, a &^ b, a<<2 | b)
	}
	s := []int{1,2,3,4,5}
	fmt.Println(s[1:len(s)-1], s[a : b], s[:], f(1,2,3))
	switch x := a%2; {
	case x==0: fmt.Println("even")
	default:
		fmt.Println("odd")
	}
	var ok = a > 1 && b < 10 || a == b
	fmt.Println(ok, !ok, &s != nil)
}
