package main

// reflect across hops: what reflect describes travels as ordinary values
// (a Kind, a StructTag, the values themselves), and TypeOf/ValueOf taken
// again after a hop describe the receiver's types, equal to its own
// (docs/split.md, "reflect": a reflect.Type or reflect.Value itself does
// not travel; tests/split/refused/reflect_*.go).

import (
	"fmt"
	"reflect"
)

type Item struct {
	Name  string `json:"name"`
	Count int    `json:"count,omitempty"`
	tags  []string
}

func main() {
	a := Item{Name: "a", Count: 2, tags: []string{"x"}}
	b := &Item{Name: "a", Count: 2, tags: []string{"x"}}
	kind := reflect.TypeOf(a).Kind()
	tag := reflect.TypeOf(a).Field(1).Tag
	goToNetwork 'compare'
	fmt.Println(kind, tag.Get("json"), reflect.DeepEqual(a, *b))
	b.tags[0] = "y"
	goToNetwork 'describe'
	fmt.Println(reflect.DeepEqual(a, *b), reflect.TypeOf(a) == reflect.TypeOf(*b), reflect.TypeOf(b).Elem() == reflect.TypeOf(a))
	reflect.ValueOf(b).Elem().Field(1).SetInt(5)
	goToNetwork 'after'
	fmt.Println(b.Count, reflect.ValueOf(a).Field(2).Len(), reflect.ValueOf(*b).FieldByName("Name"))
}
