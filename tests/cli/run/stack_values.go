// Struct and array values that escape analysis may keep in stack frames,
// next to ones whose address outlives the frame: each must behave as Go's.
package main

import "fmt"

type Vec struct{ X, Y, Z float64 }

type Grid [4][4]int

var kept *Vec
var keptArrays []*[3]int

func (v Vec) Len2() float64 { return v.X*v.X + v.Y*v.Y + v.Z*v.Z }

func (v *Vec) Scale(k float64) {
	v.X *= k
	v.Y *= k
	v.Z *= k
}

// add only reads and writes through its pointers: they do not escape.
func add(a, b, r *[8]float64) {
	for i := 0; i < 8; i++ {
		r[i] = a[i] + b[i]
	}
}

// keep stores its pointer in a global: the caller's value must be on the heap.
func keep(v *Vec) { kept = v }

// passOn hands its pointer to keep, so it leaks through two calls.
func passOn(v *Vec) { keep(v) }

// makeVec returns a local by value: the caller must get a copy that outlives
// this frame.
func makeVec(x float64) Vec {
	v := Vec{x, x + 1, x + 2}
	return v
}

func pointerTo(x float64) *Vec {
	v := Vec{X: x}
	return &v
}

func sum(g Grid) int {
	total := 0
	for _, row := range g {
		for _, cell := range row {
			total += cell
		}
	}
	return total
}

// recurse keeps a value per frame while deeper frames run.
func recurse(depth int) int {
	local := [4]int{depth, depth * 2, depth * 3, depth * 4}
	if depth == 0 {
		return local[3]
	}
	below := recurse(depth - 1)
	return local[0] + local[1] + local[2] + local[3] + below
}

func main() {
	// Arrays through non-escaping pointers, declared fresh in a loop.
	total := 0.0
	for round := 0; round < 3; round++ {
		a := [8]float64{1, 2, 3, 4, 5, 6, 7, float64(round)}
		b := [8]float64{}
		r := [8]float64{}
		b[round] = 10
		add(&a, &b, &r)
		add(&r, &r, &r)
		for _, x := range r {
			total += x
		}
	}
	fmt.Println("total", total)

	// A loop variable whose address is kept: each iteration a new variable.
	for i := 0; i < 3; i++ {
		arr := [3]int{i, i * i, i * i * i}
		keptArrays = append(keptArrays, &arr)
	}
	for _, p := range keptArrays {
		fmt.Println(*p)
	}

	// Leaking through a call chain.
	v := Vec{1, 2, 3}
	passOn(&v)
	v.X = 100
	fmt.Println(kept.X, kept.Len2())

	// Method with a pointer receiver on a local, value receiver copies.
	w := Vec{1, 1, 1}
	w.Scale(3)
	c := w
	c.Scale(2)
	fmt.Println(w, c, w.Len2())

	// Returned values and pointers.
	m := makeVec(5)
	n := makeVec(7)
	m.Scale(2)
	fmt.Println(m, n)
	p := pointerTo(4)
	q := pointerTo(9)
	fmt.Println(*p, *q, p != q)

	// Copies: assignment, arrays of structs, interface boxing.
	var g Grid
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			g[i][j] = i*4 + j
		}
	}
	h := g
	h[0][0] = 1000
	var boxed interface{} = g
	g[1][1] = -5
	fmt.Println(sum(g), sum(h), sum(boxed.(Grid)))

	// A value captured by a closure lives on past the loop.
	var fs []func() Vec
	for i := 0; i < 3; i++ {
		u := Vec{X: float64(i)}
		fs = append(fs, func() Vec { u.Y++; return u })
	}
	for _, f := range fs {
		f()
		fmt.Println(f())
	}

	// Composite literals copied into slices, maps and channels.
	vs := []Vec{}
	ms := map[int]Vec{}
	ch := make(chan Vec, 3)
	for i := 0; i < 3; i++ {
		t := Vec{float64(i), 0, 0}
		vs = append(vs, t)
		ms[i] = t
		ch <- t
		t.X = -1
	}
	close(ch)
	for x := range ch {
		fmt.Println(x, vs[int(x.X)], ms[int(x.X)])
	}

	fmt.Println(recurse(10))

	// Slicing an array makes its storage outlive the statement.
	arr := [5]int{5, 4, 3, 2, 1}
	s := arr[1:4]
	arr[2] = 99
	fmt.Println(s, len(s), cap(s))
}
