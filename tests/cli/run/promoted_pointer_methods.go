package main

import "fmt"

type Base struct{ id string }

func (b Base) Name() string     { return "base:" + b.id }
func (b *Base) Rename(s string) { b.id = s }

type Wrapper struct {
	Base
	extra int
}

type Renamer interface {
	Rename(string)
}

func main() {
	w := Wrapper{Base{"x"}, 1}
	w.Rename("a")
	fmt.Println(w.Name())
	p := &w
	p.Rename("b")
	fmt.Println(w.Name())
	var r Renamer = &w
	r.Rename("c")
	fmt.Println(w.Name(), w.id)
}
