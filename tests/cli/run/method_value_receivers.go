// A method value evaluates its receiver when it is made: a value method
// taken through a pointer binds a copy of the pointee, and a nil pointer
// (value method) or a nil interface panics there, as in Go.
package main

import "fmt"

type counter struct{ n int }

func (c counter) Show() string { return fmt.Sprint("n=", c.n) }
func (c *counter) Bump()        { c.n++ }

type shower interface{ Show() string }

func try(name string, f func()) {
	defer func() { fmt.Println(name, "recovered:", recover()) }()
	f()
}

func main() {
	pc := &counter{n: 1}
	f := pc.Show
	g := pc.Bump
	pc.n = 2
	g()
	fmt.Println(f(), pc.Show())

	c := counter{n: 10}
	h := c.Show
	c.n = 11
	fmt.Println(h(), c.Show())

	var s shower = counter{n: 5}
	k := s.Show
	s = counter{n: 6}
	fmt.Println(k(), s.Show())

	try("nil pointer, value method", func() {
		var p *counter
		_ = p.Show
		fmt.Println("not reached")
	})
	try("nil pointer, pointer method", func() {
		var p *counter
		_ = p.Bump
		fmt.Println("no panic yet")
	})
	try("nil interface", func() {
		var i shower
		_ = i.Show
		fmt.Println("not reached")
	})
}
