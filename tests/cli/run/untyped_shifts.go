package main

import "fmt"

const maxInt = int(^uint(0) >> 1)

func k(p int32, x, y int32) bool { return -(1<<x) <= p && p <= y }

func main() {
	s := uint(3)
	var u uint32 = 7
	v := u | 1<<(s&31)
	x := 1 << s
	var f uint64 = 1<<s - 1
	fmt.Println(v, x, f, 1<<s, maxInt, k(-8, 3, 4), k(-9, 3, 4))
	var b8 byte = 1 << s
	fmt.Printf("%T %v %T\n", b8, b8, 1<<s)
	var m = map[string]int{"a": 1}
	fmt.Println(m["a"]<<s, ^uint8(3), ^int8(3))
}
