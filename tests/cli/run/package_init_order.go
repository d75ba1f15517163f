package main

import "fmt"

type Arr [Size]int

var c = b + 1
var a, b = pair()

const Size = N * 2
const N = 3

func pair() (int, int) {
	fmt.Println("pair called")
	return 10, 20
}

var x = f("x", y)
var y = f("y", 0)

func f(s string, v int) int {
	fmt.Println("init", s, v)
	return v + 1
}

func main() {
	var arr Arr
	fmt.Println(len(arr), a, b, c, x, y)
}
