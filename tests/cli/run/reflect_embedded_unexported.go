// Fields of an unexported embedded struct: reflect marks the embedded field
// itself read-only, but its exported fields (the promoted ones) are settable
// again, so encoding/json decodes into them; an unexported field that is not
// embedded keeps everything under it read-only. Expected output from `go run`.
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
)

type embed struct{ Q int }

type point struct{ X, Y int }

type hidden struct{ P point }

type Top struct {
	Level0 int
	embed
	inner hidden
	Items []point
}

type embed1 struct{ Q int }

type WithPointer struct {
	*embed1
	R int
}

type myint int

type WithInt struct {
	myint
	X int
}

func main() {
	var t Top
	v := reflect.ValueOf(&t).Elem()
	e := v.Field(1)
	fmt.Println("embed:", e.CanSet(), e.CanInterface())
	q := e.Field(0)
	fmt.Println("embed.Q:", q.CanSet(), q.CanInterface())
	q.SetInt(3)
	fmt.Println("t.Q:", t.Q)
	fmt.Println("by index:", v.FieldByIndex([]int{1, 0}).CanSet(), "by name:", v.FieldByName("Q").CanSet())
	x := v.Field(2).Field(0).Field(0)
	fmt.Println("inner.P.X:", x.CanSet(), x.CanInterface())
	t.Items = []point{{1, 2}}
	it := v.Field(3).Index(0).Field(0)
	fmt.Println("Items[0].X:", it.CanSet())

	var t2 Top
	err := json.Unmarshal([]byte(`{"Level0":1,"Q":18,"inner":{"P":{"X":1}}}`), &t2)
	fmt.Println(err, t2.Level0, t2.Q, t2.inner)
	out, err := json.Marshal(t2)
	fmt.Println(string(out), err)

	var w WithPointer
	err = json.Unmarshal([]byte(`{"R":2,"Q":1}`), &w)
	fmt.Println(err, w.R, w.embed1)
	w.embed1 = &embed1{Q: 5}
	err = json.Unmarshal([]byte(`{"R":3,"Q":7}`), &w)
	fmt.Println(err, w.R, w.Q)

	var wi WithInt
	err = json.Unmarshal([]byte(`{"X":2,"myint":1}`), &wi)
	fmt.Println(err, wi)
	mi := reflect.ValueOf(&wi).Elem().Field(0)
	fmt.Println("myint:", mi.CanSet(), mi.CanInterface())
}
