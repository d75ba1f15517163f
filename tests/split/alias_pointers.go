package main

import "fmt"

type Point struct {
	X, Y int
}

type Shape struct {
	Name   string
	Corner *Point
	Pts    [3]Point
	Tags   []string
}

// Two pointers to one struct, a pointer to a field, a pointer into an
// array inside a struct, and a struct kept in memory because its address
// is taken: all still alias after hops in branches and a switch.
func main() {
	p := &Point{1, 2}
	q := p
	s := Shape{Name: "tri", Corner: p, Tags: []string{"a", "b"}}
	sp := &s
	px := &p.X
	mid := &s.Pts[1]
	tags := s.Tags
	for step := 0; step < 3; step++ {
		switch step {
		case 0:
			goToNetwork 'zero'
			q.Y += 10
		case 1:
			goToNetwork 'one'
			*px = 7
			mid.X = 42
		default:
			goToNetwork 'other'
			sp.Name = "square"
			tags[1] = "z"
		}
		goToNetwork 'show'
		fmt.Println(step, *p, *q, p == q, s.Corner == p, *s.Corner, s.Pts, s.Name, s.Tags, sp == &s)
	}
	goToNetwork 'last'
	fmt.Printf("%v %+v %v\n", *px, s.Pts[1], *mid == s.Pts[1])
}
