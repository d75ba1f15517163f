// Heap literals whose elements are computed (a composite behind a pointer,
// a slice literal, a variadic call's arguments): g2n assembles a small one in
// the frame and copies it to the heap after allocating it. Fields the literal
// leaves out and padding must still be zero, every element must land in its
// place, and the literal must be the heap's (it outlives the frame).
package main

import "fmt"

type padded struct {
	a int8
	b int64
	c int16
	d float64
	e string
}

type node struct {
	left, right *node
	value       int
}

var kept []*padded

func build(n int) *node {
	if n == 0 {
		return nil
	}
	return &node{build(n - 1), build(n - 1), n}
}

func (n *node) sum() int {
	if n == nil {
		return 0
	}
	return n.value + n.left.sum() + n.right.sum()
}

func leaveOut(x int8, s string) *padded {
	p := &padded{a: x, e: s}
	kept = append(kept, p)
	return p
}

func slices(x, y int) []int {
	return []int{x, y, x + y, x * y}
}

func main() {
	total := 0
	acc := 0.0
	for i := 1; i <= 1000; i++ {
		total += i
		acc += 1.0 / float64(i)
	}
	fmt.Println(total, fmt.Sprintf("%.6f", acc), total*2)

	p := leaveOut(-3, "left")
	q := leaveOut(-3, "left")
	fmt.Println(*p == *q, *p == padded{a: -3, e: "left"}, p.b, p.c, p.d)
	full := &padded{1, 2, 3, 4.5, "five"}
	fmt.Printf("%+v %v\n", *full, *full == padded{1, 2, 3, 4.5, "five"})

	fmt.Println(build(10).sum())

	s := slices(6, 7)
	t := slices(6, 7)
	s[0] = 100
	fmt.Println(s, t, len(kept))

	words := []string{fmt.Sprint(total), "b", fmt.Sprint(acc > 7)}
	fmt.Println(words, len(words), cap(words))
	fmt.Println(total, acc > 7, p.e, q.e, -total)
}
