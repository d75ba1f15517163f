// append grows a slice's capacity as Go 1.19's growslice does: doubling
// (or 1.25x past 256 elements), then rounding the byte size up to the
// allocator's size class, so printed capacities match Go's.
package main

import "fmt"

type triple struct{ a, b, c int32 }

func main() {
	var bs []byte
	var is []int
	var ts []triple
	var ss []string
	last := [4]int{-1, -1, -1, -1}
	for i := 0; i < 3000; i++ {
		bs = append(bs, byte(i))
		is = append(is, i)
		ts = append(ts, triple{})
		ss = append(ss, "")
		caps := [4]int{cap(bs), cap(is), cap(ts), cap(ss)}
		if caps != last {
			fmt.Println(i+1, caps)
			last = caps
		}
	}
	b := append([]byte{}, 'a', 'b')
	b = append(b, 'c')
	fmt.Println(len(b), cap(b))
	x := append([]int(nil), 1, 2, 3, 4, 5)
	fmt.Println(len(x), cap(x))
	y := append(make([]int, 3, 3), make([]int, 10)...)
	fmt.Println(len(y), cap(y))
	z := append(make([]int16, 0, 5), 1, 2, 3, 4, 5, 6)
	fmt.Println(len(z), cap(z))
}
