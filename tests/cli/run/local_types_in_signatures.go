// Method signatures that name same-named local types of different
// functions are different: an assertion to an interface compares them.
package main

import "fmt"

type box[X any] struct{ v X }

func (b box[X]) Get() X { return b.v }

func fromB() interface{} {
	type T struct{ n int }
	return box[T]{T{2}}
}

func fromC() interface{} {
	type T struct{ n int }
	return box[T]{T{3}}
}

func main() {
	type T struct{ n int }
	type getter interface{ Get() T }
	var mine interface{} = box[T]{T{1}}
	g, ok := mine.(getter)
	fmt.Println(ok, g.Get().n)
	_, ok = fromB().(getter)
	fmt.Println(ok)
	switch v := fromC().(type) {
	case getter:
		fmt.Println("getter", v.Get().n)
	default:
		fmt.Println("other", v)
	}
	fmt.Println(fromB() == fromC(), fromB() == fromB())
}
