// Package unsafe: Sizeof, Alignof and Offsetof as constants (g2n's layout is
// Go's for these types), Pointer conversions, Add, Slice and its checks.
package main

import (
	"fmt"
	"unsafe"
)

type inner struct {
	a byte
	b int64
}

type S struct {
	x  int32
	y  string
	in inner
	inner
	z [3]uint16
}

func main() {
	var s S
	fmt.Println(unsafe.Sizeof(s), unsafe.Alignof(s), unsafe.Sizeof(int8(1)), unsafe.Sizeof(1), unsafe.Sizeof("x"), unsafe.Sizeof([]int{}))
	fmt.Println(unsafe.Offsetof(s.x), unsafe.Offsetof(s.y), unsafe.Offsetof(s.in), unsafe.Offsetof(s.in.b), unsafe.Offsetof(s.b), unsafe.Offsetof(s.z))
	const k = unsafe.Sizeof(s.z)
	var arr [k]byte
	fmt.Println(len(arr), unsafe.Alignof(s.z), unsafe.Alignof(s.in))
	xs := []int32{10, 20, 30, 40}
	p := unsafe.Pointer(&xs[0])
	q := (*int32)(unsafe.Add(p, 8))
	fmt.Println(*q)
	*q = 99
	fmt.Println(xs)
	u := uintptr(p)
	r := (*int32)(unsafe.Pointer(u + unsafe.Sizeof(xs[0])))
	fmt.Println(*r)
	sl := unsafe.Slice(&xs[1], 3)
	fmt.Println(sl, len(sl), cap(sl))
	var np unsafe.Pointer
	fmt.Println(np == nil, p != nil, unsafe.Pointer(nil) == np)
	f := 1.5
	bits := *(*uint64)(unsafe.Pointer(&f))
	fmt.Printf("%#x\n", bits)
	b := []byte("hello")
	str := *(*string)(unsafe.Pointer(&b))
	fmt.Println(str)
	fmt.Println(unsafe.Slice((*byte)(nil), 0) == nil)
	defer func() { fmt.Println("recovered:", recover()) }()
	n := -1
	_ = unsafe.Slice(&xs[0], n)
}
