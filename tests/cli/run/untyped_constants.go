package main

import "fmt"

const c = 1 + 2.5
const r = 'a' + 1

func main() {
	fmt.Println(c, r, 3/2.0, 1<<3+0.5)
	var f float64 = 1 / 4.0
	fmt.Println(f)
}
