// reflect.ValueOf and Value's methods, against go run.
package main

import (
	"fmt"
	"reflect"
)

type Inner struct{ N int }

type Rec struct {
	Name   string
	Count  int
	Tags   []string
	Scores map[string]float64
	secret int
	Inner
	P *Inner
	I any
	B [2]byte
}

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1fC", float64(c)) }

func try(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(name, "panics:", r)
		}
	}()
	f()
}

func main() {
	r := Rec{Name: "a", Count: 2, Tags: []string{"x", "y"}, Scores: map[string]float64{"m": 1.5}, secret: 7, Inner: Inner{3}, P: &Inner{4}, I: 9, B: [2]byte{'h', 'i'}}
	v := reflect.ValueOf(r)
	fmt.Println(v.Kind(), v.Type(), v.NumField(), v.IsValid(), v.CanAddr(), v.CanSet())
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		fmt.Println(" ", v.Type().Field(i).Name, f.Kind(), f.CanInterface(), f.CanSet())
	}
	fmt.Println(v.Field(0).String(), v.Field(1).Int(), v.Field(2).Len(), v.Field(2).Index(1), v.Field(4).Int(), v.FieldByName("N").Int(), v.Field(6).Elem().Field(0).Int())
	fmt.Println(v.Field(7).Kind(), v.Field(7).Elem().Kind(), v.Field(7).Elem().Int(), v.Field(8).Index(0).Uint())
	try("secret.Interface", func() { fmt.Println(v.Field(4).Interface()) })
	try("set unaddressable", func() { v.Field(1).SetInt(3) })

	p := reflect.ValueOf(&r).Elem()
	fmt.Println(p.CanAddr(), p.CanSet(), p.Field(1).CanSet(), p.Field(4).CanSet(), p.Field(4).CanAddr())
	p.Field(0).SetString("b")
	p.Field(1).SetInt(40)
	p.FieldByName("N").SetInt(30)
	p.Field(2).Index(0).SetString("X")
	p.Field(2).Set(reflect.Append(p.Field(2), reflect.ValueOf("z")))
	p.Field(7).Set(reflect.ValueOf("now a string"))
	p.Field(8).Index(1).SetUint('o')
	try("set secret", func() { p.Field(4).SetInt(1) })
	try("set wrong type", func() { p.Field(0).Set(reflect.ValueOf(1)) })
	fmt.Println(r.Name, r.Count, r.N, r.Tags, r.I, string(r.B[:]))
	fmt.Printf("%v\n", p.Field(8).Bytes())
	fmt.Println(p.Field(2).Slice(1, 3), p.Field(2).Cap() >= 3, p.Field(0).Slice(0, 1))

	m := p.Field(3)
	fmt.Println(m.Len(), m.MapIndex(reflect.ValueOf("m")), m.MapIndex(reflect.ValueOf("none")).IsValid())
	m.SetMapIndex(reflect.ValueOf("n"), reflect.ValueOf(2.5))
	m.SetMapIndex(reflect.ValueOf("m"), reflect.Value{})
	fmt.Println(r.Scores, len(m.MapKeys()))
	it := m.MapRange()
	for it.Next() {
		fmt.Println(" range", it.Key(), it.Value())
	}

	// Scalars, their setters and conversions out.
	var i8 int8 = -5
	var u16 uint16 = 7
	var f32 float32 = 1.25
	var c64 complex64 = complex(1, -1)
	var b bool
	var cel Celsius = 3
	for _, x := range []any{&i8, &u16, &f32, &c64, &b, &cel} {
		e := reflect.ValueOf(x).Elem()
		switch e.Kind() {
		case reflect.Int8:
			fmt.Println(e.Int(), e.OverflowInt(200), e.CanInt())
			e.SetInt(100)
		case reflect.Uint16:
			fmt.Println(e.Uint(), e.OverflowUint(70000))
			e.SetUint(65535)
		case reflect.Float32:
			fmt.Println(e.Float())
			e.SetFloat(-2.5)
		case reflect.Complex64:
			fmt.Println(e.Complex())
			e.SetComplex(complex(0, 3))
		case reflect.Bool:
			fmt.Println(e.Bool(), e.IsZero())
			e.SetBool(true)
		case reflect.Float64:
			fmt.Println(e.Float(), e.Type(), e.Interface())
			e.SetFloat(99)
		}
	}
	fmt.Println(i8, u16, f32, c64, b, cel)
	fmt.Println(reflect.ValueOf(cel).Interface().(fmt.Stringer).String(), reflect.ValueOf(int8(-1)).Interface() == any(int8(-1)), reflect.ValueOf(uint8(200)).Interface() == any(uint8(200)))

	// Zero, New, MakeSlice, MakeMap, Indirect, Addr.
	z := reflect.Zero(reflect.TypeOf(Rec{}))
	fmt.Println(z.IsZero(), z.Field(0).String() == "", reflect.ValueOf(Rec{Count: 1}).IsZero(), reflect.ValueOf(0.0).IsZero())
	n := reflect.New(reflect.TypeOf(Inner{}))
	n.Elem().Field(0).SetInt(11)
	fmt.Println(n.Type(), n.Elem().Interface(), n.Interface().(*Inner).N)
	s := reflect.MakeSlice(reflect.TypeOf([]int{}), 2, 5)
	s.Index(1).SetInt(8)
	s = reflect.Append(s, reflect.ValueOf(9), reflect.ValueOf(10), reflect.ValueOf(11), reflect.ValueOf(12))
	fmt.Println(s.Len(), s.Interface(), reflect.AppendSlice(s, reflect.ValueOf([]int{1})).Len())
	mm := reflect.MakeMap(reflect.TypeOf(map[string]int{}))
	mm.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(1))
	fmt.Println(mm.Interface(), mm.Len())
	fmt.Println(reflect.Indirect(reflect.ValueOf(&r)).Type(), reflect.Indirect(reflect.ValueOf(3)).Int())
	ap := p.Field(1).Addr()
	ap.Elem().SetInt(41)
	fmt.Println(ap.Type(), r.Count, *(ap.Interface().(*int)))

	// Nil and invalid values.
	var np *Inner
	var nm map[int]int
	var ns []int
	var ni any
	var nf func()
	fmt.Println(reflect.ValueOf(np).IsNil(), reflect.ValueOf(nm).IsNil(), reflect.ValueOf(ns).IsNil(), reflect.ValueOf(nf).IsNil(), reflect.ValueOf(&ni).Elem().IsNil(), reflect.ValueOf(ni).IsValid())
	fmt.Println(reflect.ValueOf(np).Elem().IsValid(), reflect.ValueOf([]int{}).IsNil(), reflect.ValueOf(nm).Len(), reflect.ValueOf(nm).MapIndex(reflect.ValueOf(1)).IsValid())
	try("IsNil of int", func() { reflect.ValueOf(1).IsNil() })
	try("Int of string", func() { reflect.ValueOf("s").Int() })
	try("Type of zero Value", func() { reflect.Value{}.Type() })
	try("Index out of range", func() { reflect.ValueOf([]int{1}).Index(3) })
	fmt.Println(reflect.ValueOf(3).String(), reflect.ValueOf("str").String(), reflect.Value{}.String(), reflect.ValueOf(3).Kind() == reflect.Int)
	ch := make(chan int, 3)
	ch <- 1
	fmt.Println(reflect.ValueOf(ch).Len(), reflect.ValueOf(ch).Cap(), reflect.ValueOf("héllo").Len(), reflect.ValueOf([4]int{}).Len(), reflect.ValueOf("abc").Index(1))
	dst := []int{0, 0, 0}
	fmt.Println(reflect.Copy(reflect.ValueOf(dst), reflect.ValueOf([]int{7, 8})), dst)
	fmt.Println(reflect.ValueOf(fmt.Println).Kind(), reflect.ValueOf(cel).NumMethod(), reflect.ValueOf(&cel).Type().Method(0).Name)
}
