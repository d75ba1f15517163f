package main

import "fmt"

var counter = 10

const limit = 5

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func divmod(a, b int) (q, r int) {
	q = a / b
	r = a % b
	return
}

func init() {
	counter += 1
}

func classify(n int) string {
	switch {
	case n < 0:
		return "neg"
	case n == 0:
		return "zero"
	case n < 10:
		return "small"
	}
	return "big"
}

func main() {
	fmt.Println(fib(20), counter)
	q, r := divmod(17, 5)
	fmt.Println(q, r)
	var b byte = 200
	b += 100
	fmt.Println(b, int8(b), uint16(b)<<10)
	var u uint32 = 1 << 31
	fmt.Println(u, u>>31, int64(u)*2)
	f := float32(1.5)
	fmt.Println(f*3, float64(f)/3)
	for i := -1; i < 12; i += 4 {
		fmt.Println(classify(i))
	}
	s := "héllo"
	fmt.Println(len(s), s[1], string(rune(233)), string(s[0]))
	switch x := 3; x {
	case 1, 2:
		fmt.Println("one or two")
	case 3:
		fmt.Println("three")
		fallthrough
	case 4:
		fmt.Println("four")
	default:
		fmt.Println("other")
	}
	println("to stderr", 1, true)
	var i8 int8 = -128
	fmt.Printf("%d %v %T\n", i8/-1, -i8, i8)
	panic("boom")
}
