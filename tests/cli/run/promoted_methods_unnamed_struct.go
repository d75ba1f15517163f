// Methods promoted from embedded fields are in the method sets of unnamed
// struct types, and of pointers to them (issue 18).
package main

import "fmt"

type In struct{ name string }

func (i In) String() string { return "in:" + i.name }

type Ptr struct{}

func (*Ptr) Hello() string { return "hello" }

type Helloer interface{ Hello() string }

func main() {
	s := struct{ In }{In{"a"}}
	var i fmt.Stringer = s
	fmt.Println(i.String(), s)
	p := &struct {
		In
		n int
	}{In{"b"}, 2}
	var j fmt.Stringer = p
	fmt.Println(j, p.n)
	var h Helloer = struct{ *Ptr }{&Ptr{}}
	fmt.Println(h.Hello())
	var any interface{} = struct{ In }{In{"c"}}
	if st, ok := any.(fmt.Stringer); ok {
		fmt.Println("stringer", st)
	}
}
