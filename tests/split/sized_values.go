package main

import "fmt"

type celsius float32

type id uint16

func main() {
	var b byte = 250
	var small int8 = -100
	var wide uint64 = 1 << 63
	var r rune = 'é'
	var t celsius = 21.5
	var f32 float32 = 0.1
	ident := id(65535)
	for i := 0; i < 3; i++ {
		goToNetwork 'bump'
		b += 3
		small -= 10
		wide += 1
		r++
		goToNetwork 'show'
		fmt.Println(i, b, small, wide, string(r), t, f32*2, ident)
		t = t * 2
		f32 += 0.1
		ident++
	}
	goToNetwork 'end'
	fmt.Printf("%d %d %d %c %.3f %v %d\n", b, small, wide, r, t, f32, ident)
}
