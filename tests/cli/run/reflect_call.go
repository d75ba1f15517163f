// reflect.Value.Call, CallSlice, Method, MethodByName, Method.Func and
// MakeFunc (codegen's call adapters and MakeFunc stubs), against go run.
package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

type Point struct{ X, Y int }

func (p Point) Add(q Point) Point { return Point{p.X + q.X, p.Y + q.Y} }
func (p *Point) Scale(k int)      { p.X *= k; p.Y *= k }
func (p Point) String() string    { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

type Greeter interface{ Greet(name string) string }
type english struct{ prefix string }

func (e english) Greet(name string) string { return e.prefix + ", " + name }

func divmod(a, b int) (int, int, error) {
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}

func sum(prefix string, xs ...int) string {
	t := 0
	for _, x := range xs {
		t += x
	}
	return fmt.Sprintf("%s%d", prefix, t)
}

func boom(msg string) { panic("boom: " + msg) }

// More arguments than registers, narrow and float words, more results
// than registers.
func many(a int8, b int16, c int32, d uint8, e float32, f float64, g complex128, h string, i []int, j Point, k any, l int, m uint64) (int8, float32, complex128, string, int, Point, any, uint64) {
	return -a, e * 2, g * 2, h + "!", len(i) + l + int(b) + int(c) + int(d), Point{j.Y, j.X}, k, m + uint64(f)
}

type Counter struct{ n int }

func (c *Counter) Add(k ...int) int {
	for _, x := range k {
		c.n += x
	}
	return c.n
}

func main() {
	// plain, multiple results
	out := reflect.ValueOf(divmod).Call([]reflect.Value{reflect.ValueOf(17), reflect.ValueOf(5)})
	fmt.Println(len(out), out[0].Int(), out[1].Int(), out[2].IsNil())
	out = reflect.ValueOf(divmod).Call([]reflect.Value{reflect.ValueOf(1), reflect.ValueOf(0)})
	fmt.Println(out[2].Interface())

	// variadic: Call and CallSlice
	f := reflect.ValueOf(sum)
	fmt.Println(f.Call([]reflect.Value{reflect.ValueOf("s="), reflect.ValueOf(1), reflect.ValueOf(2), reflect.ValueOf(3)})[0])
	fmt.Println(f.Call([]reflect.Value{reflect.ValueOf("none=")})[0])
	fmt.Println(f.CallSlice([]reflect.Value{reflect.ValueOf("slice="), reflect.ValueOf([]int{10, 20})})[0])

	// closures
	n := 0
	inc := func(by int) int { n += by; return n }
	iv := reflect.ValueOf(inc)
	iv.Call([]reflect.Value{reflect.ValueOf(5)})
	r := iv.Call([]reflect.Value{reflect.ValueOf(2)})
	fmt.Println(r[0].Int(), n)

	// struct args and results, floats, bools, strings
	g := func(p Point, s string, x float64, b bool, by byte) (Point, string, float32, bool) {
		return Point{p.X * 2, p.Y * 2}, strings.Repeat(s, 2), float32(x) / 2, !b && by == 7
	}
	res := reflect.ValueOf(g).Call([]reflect.Value{reflect.ValueOf(Point{1, 2}), reflect.ValueOf("ab"), reflect.ValueOf(3.0), reflect.ValueOf(false), reflect.ValueOf(byte(7))})
	fmt.Println(res[0].Interface(), res[1].String(), res[2].Float(), res[3].Bool())

	// methods: value and pointer receivers
	p := Point{3, 4}
	pv := reflect.ValueOf(p)
	fmt.Println(pv.NumMethod(), pv.Type().NumMethod())
	add := pv.MethodByName("Add")
	fmt.Println(add.Type(), add.Call([]reflect.Value{reflect.ValueOf(Point{10, 20})})[0])
	fmt.Println(pv.MethodByName("String").Call(nil)[0])
	pp := reflect.ValueOf(&p)
	fmt.Println(pp.NumMethod())
	pp.MethodByName("Scale").Call([]reflect.Value{reflect.ValueOf(3)})
	fmt.Println(p)
	for i := 0; i < pp.NumMethod(); i++ {
		fmt.Println(i, pp.Type().Method(i).Name, pp.Method(i).Type())
	}
	fmt.Println(pv.MethodByName("Nope").IsValid())

	// Method.Func: receiver first
	m, _ := reflect.TypeOf(p).MethodByName("Add")
	fmt.Println(m.Func.Call([]reflect.Value{reflect.ValueOf(Point{1, 1}), reflect.ValueOf(Point{2, 2})})[0])

	// interface methods
	var gr Greeter = english{"Hello"}
	gv := reflect.ValueOf(&gr).Elem()
	fmt.Println(gv.Kind(), gv.NumMethod())
	fmt.Println(gv.Method(0).Call([]reflect.Value{reflect.ValueOf("Gopher")})[0])

	// method value as a func
	greet := reflect.ValueOf(english{"Hi"}).MethodByName("Greet").Interface().(func(string) string)
	fmt.Println(greet("there"))

	// MakeFunc
	swap := func(in []reflect.Value) []reflect.Value { return []reflect.Value{in[1], in[0]} }
	var intSwap func(int, int) (int, int)
	fn := reflect.MakeFunc(reflect.TypeOf(intSwap), swap)
	reflect.ValueOf(&intSwap).Elem().Set(fn)
	fmt.Println(intSwap(1, 2))
	var strSwap func(string, string) (string, string)
	reflect.ValueOf(&strSwap).Elem().Set(reflect.MakeFunc(reflect.TypeOf(strSwap), swap))
	fmt.Println(strSwap("a", "b"))
	var ptSwap func(Point, Point) (Point, Point)
	reflect.ValueOf(&ptSwap).Elem().Set(reflect.MakeFunc(reflect.TypeOf(ptSwap), swap))
	fmt.Println(ptSwap(Point{1, 2}, Point{3, 4}))
	var vsum func(...int) int
	reflect.ValueOf(&vsum).Elem().Set(reflect.MakeFunc(reflect.TypeOf(vsum), func(in []reflect.Value) []reflect.Value {
		t := 0
		for i := 0; i < in[0].Len(); i++ {
			t += int(in[0].Index(i).Int())
		}
		return []reflect.Value{reflect.ValueOf(t)}
	}))
	fmt.Println(vsum(1, 2, 3, 4))
	// MakeFunc called through Call
	fmt.Println(fn.Call([]reflect.Value{reflect.ValueOf(8), reflect.ValueOf(9)})[1])

	// many words each way
	mr := reflect.ValueOf(many).Call([]reflect.Value{reflect.ValueOf(int8(-5)), reflect.ValueOf(int16(300)), reflect.ValueOf(int32(-70000)), reflect.ValueOf(uint8(250)),
		reflect.ValueOf(float32(1.25)), reflect.ValueOf(2.5), reflect.ValueOf(complex(1, -2)), reflect.ValueOf("hey"), reflect.ValueOf([]int{1, 2}),
		reflect.ValueOf(Point{7, 8}), reflect.ValueOf(any(42)), reflect.ValueOf(1000), reflect.ValueOf(uint64(1) << 63)})
	for _, v := range mr {
		fmt.Print(v.Interface(), " ")
	}
	fmt.Println()

	// a variadic method with a pointer receiver, reached through Addr
	var cnt Counter
	cv := reflect.ValueOf(&cnt).Elem().Addr().MethodByName("Add")
	fmt.Println(cv.Type(), cv.Type().IsVariadic(), cv.Call([]reflect.Value{reflect.ValueOf(1), reflect.ValueOf(2)})[0], cnt.n)
	fmt.Println(cv.CallSlice([]reflect.Value{reflect.ValueOf([]int{10, 20})})[0])

	// a method of an error held in an interface
	var err error = errors.New("from an interface")
	ev := reflect.ValueOf(&err).Elem()
	fmt.Println(ev.MethodByName("Error").Call(nil)[0])

	// Method.Func with a pointer receiver
	sm, _ := reflect.TypeOf(&p).MethodByName("Scale")
	sm.Func.Call([]reflect.Value{reflect.ValueOf(&p), reflect.ValueOf(-1)})
	fmt.Println(p, sm.Type)

	// panics propagate through Call
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		reflect.ValueOf(boom).Call([]reflect.Value{reflect.ValueOf("inside")})
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		reflect.ValueOf(divmod).Call([]reflect.Value{reflect.ValueOf(1)})
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		reflect.ValueOf(divmod).Call([]reflect.Value{reflect.ValueOf(1), reflect.ValueOf("x")})
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var nf func()
		reflect.ValueOf(nf).Call(nil)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		reflect.ValueOf(3).Call(nil)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		reflect.ValueOf(sum).CallSlice([]reflect.Value{reflect.ValueOf("x"), reflect.ValueOf(1)})
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var f func(int) int
		reflect.ValueOf(&f).Elem().Set(reflect.MakeFunc(reflect.TypeOf(f), func([]reflect.Value) []reflect.Value { return nil }))
		f(1)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var f func(int) int
		reflect.ValueOf(&f).Elem().Set(reflect.MakeFunc(reflect.TypeOf(f), func(in []reflect.Value) []reflect.Value { panic(fmt.Sprint("made func got ", in[0])) }))
		f(5)
	}()
}
