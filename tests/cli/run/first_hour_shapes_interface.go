package main

import (
	"fmt"
	"math"
)

type Shape interface {
	Area() float64
	Perimeter() float64
}

type Rect struct {
	W, H float64
}

func (r Rect) Area() float64      { return r.W * r.H }
func (r Rect) Perimeter() float64 { return 2 * (r.W + r.H) }

type Circle struct {
	R float64
}

func (c Circle) Area() float64      { return math.Pi * c.R * c.R }
func (c Circle) Perimeter() float64 { return 2 * math.Pi * c.R }
func (c Circle) String() string     { return fmt.Sprintf("Circle(r=%g)", c.R) }

type Counter struct {
	n int
}

func (c *Counter) Inc() { c.n++ }

func main() {
	shapes := []Shape{Rect{3, 4}, Circle{1}, &Rect{W: 2, H: 5}}
	total := 0.0
	for _, s := range shapes {
		fmt.Printf("%v %T area=%.2f perimeter=%.2f\n", s, s, s.Area(), s.Perimeter())
		total += s.Area()
	}
	fmt.Printf("total %.3f\n", total)
	if c, ok := shapes[1].(Circle); ok {
		fmt.Println("a circle of radius", c.R)
	}
	var c Counter
	c.Inc()
	c.Inc()
	fmt.Printf("%+v %v\n", c, c.n)
	fmt.Printf("%#v\n", Rect{1, 2})
}
