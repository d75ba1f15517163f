// reflect.PointerTo(T) of a defined type whose pointer type the program never
// spells has T's value methods in its method set (Go's *T does), and a Value
// taken out of an interface that holds a pointer compares equal (==) to
// another Value of the same pointer. encoding/json relies on both: it
// encodes a []T whose *T is a Marshaler or TextMarshaler element by element
// (not as base64), and it stops at an interface holding a pointer to itself.
// Expected output from `go run`.
package main

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
)

type jsonbyte byte

func (b jsonbyte) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf(`{"JB":%d}`, b)), nil }

type textbyte byte

func (b textbyte) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf(`TB:%d`, b)), nil }

type named struct{ A int }

func (n named) Hello() string { return fmt.Sprint("hello ", n.A) }

type wrapper struct{ named }

func main() {
	marshaler := reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textMarshaler := reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	jb := reflect.TypeOf([]jsonbyte{}).Elem()
	fmt.Println(jb, jb.Implements(marshaler), reflect.PointerTo(jb), reflect.PointerTo(jb).Implements(marshaler), reflect.PointerTo(jb).NumMethod())
	tb := reflect.TypeOf([]textbyte{}).Elem()
	fmt.Println(tb, reflect.PointerTo(tb).Implements(textMarshaler))
	for _, v := range []any{[]jsonbyte{0, 1}, [][]jsonbyte{{0, 1}, {3}}, []textbyte{2, 3}, []byte{0, 1}} {
		out, err := json.Marshal(v)
		fmt.Println(string(out), err)
	}

	w := reflect.TypeOf(wrapper{})
	pw := reflect.PointerTo(w)
	fmt.Println(pw, pw.NumMethod(), pw.Method(0).Name)
	out := reflect.ValueOf(&wrapper{named{4}}).MethodByName("Hello").Call(nil)
	fmt.Println(out[0])
	addr := reflect.ValueOf(&[]named{{5}}).Elem().Index(0).Addr()
	fmt.Println(addr.Type(), addr.NumMethod(), addr.Interface().(interface{ Hello() string }).Hello())

	var self any
	self = &self
	v := reflect.ValueOf(self)
	fmt.Println(v.Elem().Elem() == v, v.Kind(), v.IsNil())
	fmt.Println(json.Unmarshal([]byte(`{"a": "b"}`), self), self)
	n := &named{7}
	a, b := reflect.ValueOf(n), reflect.ValueOf(n)
	fmt.Println(a == b, a.Interface() == any(n), a.Elem().Field(0).Int(), a.Pointer() == b.Pointer())
	fmt.Printf("%v %d\n", a, a.Elem().Field(0))
	m := map[string]int{"x": 1}
	mv := reflect.ValueOf(m)
	fmt.Println(mv.Len(), mv.MapIndex(reflect.ValueOf("x")), mv, mv == reflect.ValueOf(m))
	f := func(x int) int { return x + 1 }
	fmt.Println(reflect.ValueOf(f).Call([]reflect.Value{reflect.ValueOf(2)})[0].Int())
	var nilNamed *named
	fmt.Println(reflect.ValueOf(nilNamed).IsNil(), reflect.ValueOf(nilNamed).IsZero())
	q := reflect.New(reflect.TypeOf(n)).Elem()
	q.Set(a)
	fmt.Println(q.Interface().(*named) == n, reflect.DeepEqual(self, self))
	c := make(chan int, 3)
	c <- 1
	fmt.Println(reflect.ValueOf(c).Len(), reflect.ValueOf(c).Cap())
}
