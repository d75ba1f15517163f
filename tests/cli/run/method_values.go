package main

import (
	"errors"
	"fmt"
	"strings"
)

type Counter struct{ n int }

func (c *Counter) Inc()        { c.n++ }
func (c Counter) Get() int     { return c.n }
func (c Counter) Add(xs ...int) int {
	for _, x := range xs {
		c.n += x
	}
	return c.n
}

type Named interface{ Name() string }
type Base struct{ id string }

func (b Base) Name() string   { return "base:" + b.id }
func (b *Base) Rename(s string) { b.id = s }

type Wrapper struct {
	Base
	extra int
}

type Renamer interface {
	Named
	Rename(string)
}

func apply(f func(string) string, s string) string { return f(s) }

func main() {
	c := Counter{}
	inc := c.Inc
	inc()
	inc()
	get := c.Get
	c.Inc()
	fmt.Println(c.n, get(), Counter.Get(c), c.Add(1, 2, 3))
	f := (*Counter).Inc
	f(&c)
	fmt.Println(c.Get())
	add := Counter.Add
	fmt.Println(add(c, 10, 20))
	w := Wrapper{Base{"x"}, 1}
	var n Named = w
	fmt.Println(n.Name())
	var r Renamer = &w
	r.Rename("y")
	fmt.Println(r.Name(), w.Name())
	fmt.Println(apply(strings.ToUpper, "hello"))
	p := fmt.Println
	p("via", "value", 3)
	err := errors.New("foo")
	fmt.Println(error.Error(err))
	nm := Named.Name
	fmt.Println(nm(w))
	h := n.Name
	fmt.Println(h())
	sp := fmt.Sprintf
	fmt.Println(sp("%d-%s", 4, "x"))
}
