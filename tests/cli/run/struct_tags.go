// Struct tags: part of a struct type's identity and of its %T spelling,
// ignored (at every depth) by conversions, read by reflect.
package main

import (
	"fmt"
	"reflect"
)

type A struct {
	X int `json:"x"`
	P *struct {
		Y string `k:"v"`
	}
}

type B struct {
	X int
	P *struct{ Y string }
}

func main() {
	a := A{X: 1}
	b := B(a)
	var c struct {
		X int
		P *struct{ Y string }
	} = b
	fmt.Println(b.X, c.X, A(c).X)
	fmt.Printf("%T\n", struct {
		Y string `k:"v" q:"a\tb"`
		Z int
	}{})
	fmt.Println(reflect.TypeOf(a) == reflect.TypeOf(b), reflect.TypeOf(a).ConvertibleTo(reflect.TypeOf(b)), reflect.TypeOf(a).AssignableTo(reflect.TypeOf(b)))
	var x, y any = struct {
		N int `t:"1"`
	}{}, struct{ N int }{}
	fmt.Println(x == y, reflect.TypeOf(x).Field(0).Tag, reflect.TypeOf(y).Field(0).Tag == "")
}
