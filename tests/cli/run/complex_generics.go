package main

import "fmt"

const c64 complex64 = 1 + 2i
const c128 complex128 = complex128(c64) * 2

type Num interface {
	~float64 | ~complex128 | ~complex64
}

func Sum[T Num](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

type Vec [2]complex128

func (v Vec) Dot(w Vec) complex128 { return v[0]*w[0] + v[1]*w[1] }

func show(label string, z complex128) { fmt.Println(label, z) }

func main() {
	fmt.Println(c64, c128, real(c128), Sum(1i, 2.5i, 3+3i), Sum[complex64](c64, c64), Sum(1.5, 2.25))
	defer show("deferred", c128)
	z := c128
	defer func() { fmt.Println("closure", z) }()
	z = 9i
	v := Vec{1, 1i}
	fmt.Println(v.Dot(v), v)
	done := make(chan bool)
	go func(x complex64) { fmt.Println("goroutine", x*x); done <- true }(c64)
	<-done
	var arr [2]complex64
	arr[1] = c64
	ps := &arr[1]
	*ps += 1
	fmt.Println(arr)
	type pair struct{ a, b complex64 }
	fmt.Printf("%v %+v\n", pair{1, 2i}, pair{c64, -c64})
}
