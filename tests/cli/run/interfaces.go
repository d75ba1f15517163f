package main

import (
	"errors"
	"fmt"
)

type Shape interface {
	Area() float64
	Name() string
}

type Rect struct{ W, H float64 }
type Circle struct{ R float64 }

func (r Rect) Area() float64    { return r.W * r.H }
func (r Rect) Name() string      { return "rect" }
func (c *Circle) Area() float64 { return 3 * c.R * c.R }
func (c *Circle) Name() string   { return "circle" }

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type MyErr struct{ Code int }

func (e *MyErr) Error() string { return fmt.Sprintf("code %d", e.Code) }

func find(ok bool) error {
	if ok {
		return nil
	}
	return &MyErr{404}
}

func describe(i interface{}) string {
	switch v := i.(type) {
	case int:
		return fmt.Sprintf("int %d", v)
	case string:
		return "string " + v
	case Shape:
		return "shape " + v.Name()
	case nil:
		return "nil"
	default:
		return fmt.Sprintf("other %T", v)
	}
}

func main() {
	shapes := []Shape{Rect{2, 3}, &Circle{1}}
	total := 0.0
	for _, s := range shapes {
		total += s.Area()
		fmt.Println(s.Name(), s.Area())
	}
	fmt.Println(total)
	var c Celsius = 21.5
	fmt.Println(c)
	fmt.Printf("%v %s %T\n", c, c, c)
	err := find(false)
	if err != nil {
		fmt.Println("error:", err)
	}
	fmt.Println(find(true) == nil)
	fmt.Println(describe(1), describe("x"), describe(Rect{1, 1}), describe(nil), describe(2.5))
	var any interface{} = Rect{1, 2}
	if r, ok := any.(Rect); ok {
		fmt.Println("rect", r.W, r.H)
	}
	_, ok := any.(*Circle)
	fmt.Println(ok)
	fmt.Println(Rect{1, 2}, &Rect{3, 4}, []int{1, 2, 3}, []string{"a"})
	fmt.Printf("%+v %T\n", Rect{5, 6}, shapes)
	e1 := errors.New("plain")
	fmt.Println(e1)
	var a, b interface{} = 3, 3
	fmt.Println(a == b)
	n := any.(int)
	fmt.Println(n)
}
