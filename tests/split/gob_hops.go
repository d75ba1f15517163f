package main

// encoding/gob (from Go's source) across hops: bytes encoded before a hop
// are decoded after it, with a concrete type registered for an interface;
// a value decoded after a hop is encoded again after the next. gob's
// registry of concrete types is library state, each host's own
// (docs/split.md, "Limits"): a type registered on one host, even in the
// program's init, is not registered in another process (--hosts 2,
// --process-per-service). So Rect is registered where it is encoded and
// decoded (registering a type again under its name is allowed). (An Encoder or Decoder itself does not travel yet: g2n refuses a
// hop that would send one, "cannot travel between nanoservices".)

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

type Shape interface{ Area() int }

type Rect struct{ W, H int }

func (r Rect) Area() int { return r.W * r.H }

type Order struct {
	ID    int
	Items map[string]int
	Tags  []string
	Shape Shape
}

func encode(v interface{}) []byte {
	gob.Register(Rect{})
	var wire bytes.Buffer
	if err := gob.NewEncoder(&wire).Encode(v); err != nil {
		fmt.Println("encode:", err)
	}
	return wire.Bytes()
}

func decode(data []byte) Order {
	gob.Register(Rect{})
	var o Order
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&o); err != nil {
		fmt.Println("decode:", err)
	}
	return o
}

func main() {
	data := encode(Order{ID: 1, Items: map[string]int{"pen": 2}, Tags: []string{"a"}, Shape: Rect{2, 3}})
	goToNetwork 'decode'
	o := decode(data)
	fmt.Println(len(data), o.ID, o.Items, o.Tags, o.Shape.Area())
	o.ID++
	o.Shape = Rect{4, 5}
	goToNetwork 'encode-again'
	again := encode(o)
	goToNetwork 'decode-again'
	o2 := decode(again)
	fmt.Println(len(again), o2.ID, o2.Items, o2.Tags, o2.Shape.Area())
}
