// reflect.StructOf and reflect.ArrayOf compared with Go's: the types' spelling,
// size, alignment and fields; one Type for the same fields (and the
// program's own type when it has one); values made with New, Zero, Field,
// Set and Index; ==, map keys, fmt and encoding/json on them; Go's panics.
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
)

type Inner struct {
	X, Y int16
}

func describe(t reflect.Type) {
	fmt.Printf("%s: kind %v size %d align %d comparable %v\n", t, t.Kind(), t.Size(), t.Align(), t.Comparable())
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fmt.Printf("  %d %s %q %v offset %d tag %q anonymous %v index %v\n", i, f.Name, f.PkgPath, f.Type, f.Offset, f.Tag, f.Anonymous, f.Index)
		}
	}
}

func catch(what string, f func()) {
	defer func() {
		fmt.Printf("%s: %v\n", what, recover())
	}()
	f()
}

func main() {
	fields := []reflect.StructField{
		{Name: "A", Type: reflect.TypeOf(0), Tag: `json:"a"`},
		{Name: "B", Type: reflect.TypeOf(""), Tag: `json:"b,omitempty"`},
		{Name: "Flag", Type: reflect.TypeOf(true)},
		{Name: "F", Type: reflect.TypeOf(float32(0))},
	}
	t := reflect.StructOf(fields)
	describe(t)
	fmt.Println(t.Name() == "", t.PkgPath() == "", t.NumMethod())
	fmt.Println("same fields, same type:", reflect.StructOf(fields) == t)
	fmt.Println("the program's type:", t == reflect.TypeOf(struct {
		A    int    `json:"a"`
		B    string `json:"b,omitempty"`
		Flag bool
		F    float32
	}{}))
	tag, _ := t.Field(0).Tag.Lookup("json")
	fmt.Println("tag:", tag)

	// Values of it.
	p := reflect.New(t)
	fmt.Println(p.Type(), p.Type().Elem() == t, reflect.PointerTo(t) == p.Type())
	v := p.Elem()
	v.Field(0).SetInt(42)
	v.FieldByName("B").SetString("forty-two")
	v.Field(2).SetBool(true)
	v.Field(3).SetFloat(1.5)
	fmt.Printf("%v\n%+v\n%T\n", v.Interface(), v.Interface(), v.Interface())
	out, err := json.Marshal(p.Interface())
	fmt.Println(string(out), err)
	q := reflect.New(t)
	err = json.Unmarshal([]byte(`{"a":7,"b":"seven","Flag":true,"F":0.25}`), q.Interface())
	fmt.Printf("%+v %v\n", q.Elem().Interface(), err)
	z := reflect.Zero(t)
	fmt.Printf("zero %+v %v\n", z.Interface(), z.IsZero())
	w := reflect.New(t).Elem()
	w.Set(v)
	fmt.Println("set:", w.Interface() == v.Interface(), w.Interface() == q.Elem().Interface())

	// Comparable: == through interfaces and map keys.
	m := reflect.MakeMap(reflect.MapOf(t, reflect.TypeOf(0)))
	m.SetMapIndex(v, reflect.ValueOf(1))
	m.SetMapIndex(q.Elem(), reflect.ValueOf(2))
	m.SetMapIndex(w, reflect.ValueOf(3))
	fmt.Println("map:", m.Len(), m.MapIndex(v), m.MapIndex(q.Elem()))

	// Unexported fields need a PkgPath; a struct of a slice is not comparable.
	u := reflect.StructOf([]reflect.StructField{
		{Name: "S", Type: reflect.TypeOf([]int(nil))},
		{Name: "hidden", Type: reflect.TypeOf(uint8(0)), PkgPath: "main"},
		{Name: "M", Type: reflect.TypeOf(map[string]int(nil))},
	})
	describe(u)
	uv := reflect.New(u).Elem()
	uv.Field(0).Set(reflect.ValueOf([]int{1, 2}))
	fmt.Println(uv.Field(1).CanSet(), uv.Field(0).CanSet())
	fmt.Printf("%v\n", uv.Interface())
	catch("compare", func() {
		a, b := uv.Interface(), uv.Interface()
		fmt.Println(a == b)
	})

	// An embedded struct without methods: its fields are promoted.
	e := reflect.StructOf([]reflect.StructField{
		{Name: "Inner", Type: reflect.TypeOf(Inner{}), Anonymous: true},
		{Name: "Z", Type: reflect.TypeOf(int64(0))},
	})
	describe(e)
	ev := reflect.New(e).Elem()
	ev.FieldByName("Y").SetInt(9)
	ev.FieldByIndex([]int{0, 0}).SetInt(8)
	fmt.Printf("%+v\n", ev.Interface())
	yf, ok := e.FieldByName("Y")
	fmt.Println(yf.Index, ok)
	out, err = json.Marshal(ev.Interface())
	fmt.Println(string(out), err)

	// Empty and nested.
	describe(reflect.StructOf(nil))
	nested := reflect.StructOf([]reflect.StructField{
		{Name: "T", Type: t},
		{Name: "P", Type: reflect.PointerTo(t)},
		{Name: "L", Type: reflect.SliceOf(t)},
	})
	describe(nested)
	nv := reflect.New(nested).Elem()
	nv.Field(1).Set(p)
	nv.Field(2).Set(reflect.Append(nv.Field(2), v, z))
	nv.Field(0).Field(1).SetString("inner")
	fmt.Printf("%v %v\n", nv.Field(0).Interface(), nv.Field(2).Len())
	out, err = json.Marshal(nv.Interface())
	fmt.Println(string(out), err)

	// ArrayOf.
	a3 := reflect.ArrayOf(3, reflect.TypeOf(0))
	describe(a3)
	fmt.Println(a3 == reflect.TypeOf([3]int{}), a3.Len(), a3.Elem(), reflect.ArrayOf(3, reflect.TypeOf(0)) == a3)
	at := reflect.ArrayOf(2, t)
	describe(at)
	av := reflect.New(at).Elem()
	av.Index(1).Field(0).SetInt(-1)
	av.Index(0).Set(v)
	fmt.Printf("%v\n", av.Interface())
	fmt.Println(av.Interface() == av.Interface(), av.Index(0).Interface() == v.Interface())
	out, err = json.Marshal(av.Interface())
	fmt.Println(string(out), err)
	describe(reflect.ArrayOf(0, reflect.TypeOf("")))
	a5 := reflect.ArrayOf(5, reflect.TypeOf(uint16(0)))
	describe(a5)
	a5v := reflect.New(a5).Elem()
	reflect.Copy(a5v, reflect.ValueOf([]uint16{1, 2, 3}))
	fmt.Println(a5v.Interface(), a5v.Slice(1, 4).Interface())
	deep := reflect.ArrayOf(1, reflect.TypeOf(0))
	for i := 0; i < 100; i++ {
		deep = reflect.ArrayOf(1, deep)
	}
	fmt.Println(len(deep.String()), deep.Size())
	deepStruct := reflect.StructOf([]reflect.StructField{{Name: "F", Type: deep}})
	fmt.Println(deepStruct.Size(), reflect.New(deepStruct).Elem().Field(0).Len())

	// Go's panics.
	catch("no name", func() { reflect.StructOf([]reflect.StructField{{Type: t}}) })
	catch("invalid name", func() { reflect.StructOf([]reflect.StructField{{Name: "a-b", Type: t}}) })
	catch("no type", func() { reflect.StructOf([]reflect.StructField{{Name: "A"}}) })
	catch("unexported", func() { reflect.StructOf([]reflect.StructField{{Name: "a", Type: t}}) })
	catch("duplicate", func() {
		reflect.StructOf([]reflect.StructField{{Name: "A", Type: t}, {Name: "A", Type: a3}})
	})
	catch("negative", func() { reflect.ArrayOf(-1, t) })
}
