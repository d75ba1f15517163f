package main

import "fmt"

type Point struct {
	X, Y int
}

func (p Point) Sum() int { return p.X + p.Y }

func (p *Point) Move(dx, dy int) {
	p.X += dx
	p.Y += dy
}

type Celsius float64

func (c Celsius) F() float64 { return float64(c)*9/5 + 32 }

type Node struct {
	val  int
	next *Node
}

type Stack []int

func (s *Stack) Push(v int) { *s = append(*s, v) }

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func main() {
	p := Point{1, 2}
	q := p
	q.X = 10
	p.Move(3, 4)
	fmt.Println(p.X, p.Y, q.X, q.Y, p.Sum())
	pp := &p
	pp.Move(1, 1)
	fmt.Println(p.X, pp.Y)
	var c Celsius = 100
	fmt.Println(c.F())
	var head *Node
	for i := 0; i < 5; i++ {
		head = &Node{i, head}
	}
	for n := head; n != nil; n = n.next {
		fmt.Print(n.val, " ")
	}
	fmt.Println()
	s := []int{1, 2, 3}
	s = append(s, 4, 5)
	fmt.Println(len(s), cap(s), sum(s), s[4])
	t := s[1:3]
	t[0] = 99
	fmt.Println(s[1], len(t), cap(t))
	var a [5]int
	for i := range a {
		a[i] = i * i
	}
	b := a
	b[0] = 100
	fmt.Println(a[0], a[4], b[0], len(a))
	m := make([]string, 2, 10)
	m[1] = "x"
	m = append(m, "y")
	fmt.Println(len(m), cap(m), m[1]+m[2])
	var st Stack
	st.Push(1)
	st.Push(2)
	fmt.Println(len(st), st[1])
	for i, r := range "héy" {
		fmt.Println(i, r)
	}
	x := 5
	px := &x
	*px = 7
	fmt.Println(x)
	grid := [3][3]int{}
	grid[1][2] = 5
	fmt.Println(grid[1][2], grid[0][0])
	n := copy(s, []int{7, 8})
	fmt.Println(n, s[0], s[1])
	pts := []Point{{1, 2}, {3, 4}}
	pts[1].X = 30
	fmt.Println(pts[1].X, pts[0].Sum())
	var np *Point
	fmt.Println(np == nil)
	fmt.Println(s[10])
}
