// reflect.TypeOf and Type's methods, against go run.
package main

import (
	"errors"
	"fmt"
	"reflect"
)

type Point struct {
	X, Y int `json:"x" xml:"px"`
	label string
	Inner
	*Other `opt:"yes"`
}

type Inner struct {
	Depth int
}

type Other struct{ Z float32 }

type Celsius float64

func (c Celsius) String() string       { return fmt.Sprintf("%.1fC", float64(c)) }
func (c Celsius) Warmer(d float64) bool { return float64(c) > d }
func (c *Celsius) Set(v float64)       { *c = Celsius(v) }
func (c Celsius) hidden()              {}

type Stringer interface{ String() string }

type Shape interface {
	Area() float64
	Name() string
}

type IntList []int

func variadic(format string, args ...any) (int, error) { return 0, nil }

func show(t reflect.Type) {
	fmt.Printf("%-28s kind=%-10s name=%-8q pkg=%-6q size=%d align=%d comparable=%v\n", t.String(), t.Kind(), t.Name(), t.PkgPath(), t.Size(), t.Align(), t.Comparable())
}

func main() {
	var c Celsius = 21.5
	var sh Shape
	for _, v := range []any{1, "s", 2.5, int8(1), uint16(2), float32(1), complex(1, 2), true, uintptr(3),
		c, &c, Point{}, &Point{}, []int{}, IntList{}, [3]string{}, map[string][]int{}, make(chan int), make(<-chan bool), make(chan<- string),
		variadic, func() {}, &sh, struct{ A int }{}, errors.New("e"), []byte("x"), [0]int{}} {
		show(reflect.TypeOf(v))
	}
	fmt.Println(reflect.TypeOf(nil) == nil)

	pt := reflect.TypeOf(Point{})
	fmt.Println("fields", pt.NumField())
	for i := 0; i < pt.NumField(); i++ {
		f := pt.Field(i)
		fmt.Printf("  %s %v pkg=%q tag=%q json=%q xml=%q offset=%d index=%v anonymous=%v exported=%v\n", f.Name, f.Type, f.PkgPath, f.Tag, f.Tag.Get("json"), f.Tag.Get("xml"), f.Offset, f.Index, f.Anonymous, f.IsExported())
	}
	v, ok := pt.Field(4).Tag.Lookup("opt")
	fmt.Println("lookup", v, ok)
	v, ok = pt.Field(4).Tag.Lookup("json")
	fmt.Printf("lookup %q %v\n", v, ok)
	f, ok := pt.FieldByName("Depth")
	fmt.Println("by name", f.Name, f.Index, ok)
	f, ok = pt.FieldByName("Z")
	fmt.Println("by name", f.Name, f.Index, f.Type, ok)
	_, ok = pt.FieldByName("nope")
	fmt.Println("by name", ok)
	fmt.Println("by index", pt.FieldByIndex([]int{3, 0}).Name)

	ct := reflect.TypeOf(c)
	pct := reflect.TypeOf(&c)
	fmt.Println("methods", ct.NumMethod(), pct.NumMethod())
	for i := 0; i < pct.NumMethod(); i++ {
		m := pct.Method(i)
		fmt.Println("  ", m.Name, m.Index, m.PkgPath == "")
	}
	m, ok := ct.MethodByName("Warmer")
	fmt.Println("method by name", m.Name, m.Index, ok)
	_, ok = ct.MethodByName("hidden")
	fmt.Println("method by name hidden", ok)
	st := reflect.TypeOf((*Stringer)(nil)).Elem()
	sht := reflect.TypeOf((*Shape)(nil)).Elem()
	et := reflect.TypeOf((*error)(nil)).Elem()
	fmt.Println("interface types", st, st.Kind(), st.NumMethod(), sht, sht.NumMethod(), sht.Method(0).Name, sht.Method(1).Name, sht.Method(1).Type, et, et.Name())
	fmt.Println("implements", ct.Implements(st), pct.Implements(st), pt.Implements(st), reflect.TypeOf(errors.New("x")).Implements(et), ct.Implements(sht))
	fmt.Println("assignable", ct.AssignableTo(st), ct.AssignableTo(reflect.TypeOf(1.5)), reflect.TypeOf([]int{}).AssignableTo(reflect.TypeOf(IntList{})), reflect.TypeOf(1).AssignableTo(reflect.TypeOf(1)))
	fmt.Println("convertible", ct.ConvertibleTo(reflect.TypeOf(1.5)), reflect.TypeOf(1).ConvertibleTo(reflect.TypeOf("")), reflect.TypeOf("").ConvertibleTo(reflect.TypeOf([]byte{})), reflect.TypeOf("").ConvertibleTo(reflect.TypeOf(1)), reflect.TypeOf(IntList{}).ConvertibleTo(reflect.TypeOf([]int{})))

	ft := reflect.TypeOf(variadic)
	fmt.Println("func", ft.NumIn(), ft.NumOut(), ft.In(0), ft.In(1), ft.Out(0), ft.Out(1), ft.IsVariadic(), reflect.TypeOf(show).IsVariadic())
	mt := reflect.TypeOf(map[string][]int{})
	fmt.Println("map", mt.Key(), mt.Elem(), mt.Elem().Elem())
	at := reflect.TypeOf([3]string{})
	fmt.Println("array", at.Len(), at.Elem())
	fmt.Println("chan", reflect.TypeOf(make(chan int)).ChanDir(), reflect.TypeOf(make(<-chan bool)).ChanDir(), reflect.TypeOf(make(chan<- string)).ChanDir())
	fmt.Println("bits", reflect.TypeOf(int8(0)).Bits(), reflect.TypeOf(1.5).Bits(), reflect.TypeOf(complex64(0)).Bits(), reflect.TypeOf(uint(0)).Bits())
	fmt.Println("equal", reflect.TypeOf(1) == reflect.TypeOf(2), reflect.TypeOf(1) == reflect.TypeOf(int64(2)), reflect.TypeOf([]int{}).Elem() == reflect.TypeOf(1),
		reflect.TypeOf(&c).Elem() == reflect.TypeOf(c), reflect.TypeOf(Point{}).Field(0).Type == reflect.TypeOf(0), mt.Elem() == reflect.TypeOf([]int{}))
	fmt.Println("ptrto", reflect.PointerTo(ct) == pct, reflect.PointerTo(ct), reflect.SliceOf(reflect.TypeOf(1)) == reflect.TypeOf([]int{}), reflect.MapOf(reflect.TypeOf(""), reflect.TypeOf([]int{})) == mt)
	fmt.Println("kinds", reflect.Int, reflect.Pointer, reflect.Ptr, reflect.UnsafePointer, reflect.Interface, reflect.Kind(99))
	seen := map[reflect.Type]int{}
	for _, v := range []any{1, 2, "a", c, Celsius(3), []int{1}, []int{2}} {
		seen[reflect.TypeOf(v)]++
	}
	fmt.Println("as map keys", len(seen), seen[reflect.TypeOf(0)], seen[ct])
}
