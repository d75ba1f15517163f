package main

import (
	"fmt"
	"math"
)

type Point struct {
	Name string
	C    complex64
	D    complex128
}

type Cplx complex64

func (c Cplx) String() string { return fmt.Sprintf("<%g|%g>", real(c), imag(c)) }

func pair(c complex128) (complex128, float64) { return c * 2, real(c) }

func describe(v any) string {
	switch x := v.(type) {
	case complex64:
		return fmt.Sprint("complex64 ", x)
	case complex128:
		return fmt.Sprint("complex128 ", x)
	case float64:
		return fmt.Sprint("float64 ", x)
	}
	return "other"
}

func main() {
	c := 1.5 - 0.5i
	var c64 complex64 = 3 + 4i
	// Verbs apply to both parts; flags and widths to each part.
	fmt.Printf("%v %g %f %.2f %e %E %G %8.3f|%-8.1f|%+.1f\n", c, c, c, c, c, c, c, c, c, c)
	fmt.Printf("%v %.3g %x %d %s\n", c64, c64, c, c, c)
	fmt.Println(complex(math.Inf(1), math.NaN()), complex(math.Inf(-1), math.Inf(-1)), complex(1e21, 1e-7), complex64(complex(1.0/3, 2.0/3)))
	fmt.Print(c, c64, "\n")
	s := fmt.Sprintf("%v|%T|%T", []complex128{1, 2i}, c, c64)
	fmt.Println(s)
	// Structs, arrays, pointers, slices, maps.
	p := Point{"p", 1 + 1i, 2 - 2i}
	fmt.Printf("%v %+v\n", p, p)
	arr := [3]complex64{1, 1i, -1}
	fmt.Println(arr, len(arr), arr == [3]complex64{1, 1i, -1})
	q := &p
	q.C *= 2i
	fmt.Println(p.C, *q)
	sl := make([]complex128, 0)
	for i := 0; i < 4; i++ {
		sl = append(sl, complex(float64(i), float64(-i)))
	}
	fmt.Println(sl, sl[3]*sl[3])
	m := map[complex128]string{1i: "i", -1i: "-i", 1: "one", complex(0, math.Copysign(0, -1)): "zero"}
	m[0] = "zero again"
	nan := complex(math.NaN(), 0)
	m[nan] = "nan1"
	m[nan] = "nan2"
	_, ok := m[nan]
	fmt.Println(len(m), m[1i], m[0], ok)
	delete(m, nan)
	fmt.Println(len(m))
	m2 := map[complex64]int{2 + 1i: 1, 1 + 2i: 2, 1 + 1i: 3, -1: 4}
	fmt.Println(m2)
	mk := map[Point]int{p: 7}
	fmt.Println(mk[p], mk[Point{"p", 0, 2 - 2i}])
	// Interfaces.
	var v any = c
	var w any = c64
	fmt.Println(v, w, v == any(1.5-0.5i), w == any(complex64(3+4i)), v == w)
	fmt.Println(describe(c), describe(c64), describe(real(c)))
	back := v.(complex128)
	_, isC64 := v.(complex64)
	fmt.Println(back, isC64)
	var named Cplx = 2 + 3i
	fmt.Println(named, any(named))
	fmt.Printf("%v %s %T\n", named, named, named)
	mi := map[any]int{c: 1, c64: 2}
	fmt.Println(mi[c], mi[c64], mi[complex128(c64)])
	// Function results, closures, channels.
	d, r := pair(c)
	fmt.Println(d, r)
	acc := 0i
	add := func(x complex128) { acc += x }
	add(1)
	add(2i)
	fmt.Println(acc)
	ch := make(chan complex64, 2)
	ch <- c64
	ch <- c64 * c64
	fmt.Println(<-ch, <-ch)
	// The builtin println.
	println(c, c64, real(c))
	println(complex(math.Inf(1), math.NaN()))
	// Zero values.
	var z complex128
	var z64 complex64
	fmt.Println(z, z64, z == 0)
}
