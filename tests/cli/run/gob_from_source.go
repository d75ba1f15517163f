// gob round trips through Go's encoding/gob compiled from source: structs,
// maps, slices, pointers, interfaces (Register), and values with their own
// GobEncode (time.Time, *big.Int).
package main

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math/big"
	"time"
)

type Point struct {
	X, Y int
}

type Inner struct {
	Name  string
	Score float64
}

type Record struct {
	ID      uint64
	Title   string
	Tags    []string
	Counts  map[string]int
	Where   *Point
	Inner   Inner
	Ptrs    []*Inner
	Raw     []byte
	Flag    bool
	Ratio   float32
	Complex complex128
	Arr     [3]int8
	skipped int
}

// Shape is an interface; concrete types travel after Register.
type Shape interface {
	Area() float64
}

type Rect struct{ W, H float64 }
type Circle struct{ R float64 }

func (r Rect) Area() float64    { return r.W * r.H }
func (c *Circle) Area() float64 { return 3 * c.R * c.R }

type Drawing struct {
	Name   string
	Shapes []Shape
	Main   Shape
}

type Stamped struct {
	When time.Time
	N    *big.Int
	R    *big.Rat
}

// A type with fewer fields decodes from a type with more (fields by name).
type RecordLite struct {
	Title string
	Where *Point
	Extra int
}

func roundTrip(in, out interface{}) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		fmt.Println("encode error:", err)
		return
	}
	fmt.Println("bytes:", buf.Len())
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		fmt.Println("decode error:", err)
	}
}

func main() {
	gob.Register(Rect{})
	gob.Register(&Circle{})

	rec := Record{
		ID:      42,
		Title:   "hello",
		Tags:    []string{"a", "bb", "ccc"},
		Counts:  map[string]int{"x": 1},
		Where:   &Point{3, -4},
		Inner:   Inner{"in", 2.5},
		Ptrs:    []*Inner{{"p1", 1}, {"p2", -1.25}},
		Raw:     []byte{0, 1, 2, 255},
		Flag:    true,
		Ratio:   0.5,
		Complex: complex(1, -2),
		Arr:     [3]int8{-1, 0, 127},
		skipped: 9,
	}
	var got Record
	roundTrip(rec, &got)
	fmt.Printf("%d %q %q %v %+v %+v\n", got.ID, got.Title, got.Tags, got.Counts, *got.Where, got.Inner)
	fmt.Printf("%+v %+v %v %v %v %v %v %d\n", *got.Ptrs[0], *got.Ptrs[1], got.Raw, got.Flag, got.Ratio, got.Complex, got.Arr, got.skipped)

	var lite RecordLite
	roundTrip(rec, &lite)
	fmt.Printf("%q %+v %d\n", lite.Title, *lite.Where, lite.Extra)

	// Maps and slices at the top level.
	m := map[string][]int{"one": {1}, "two": {1, 2}, "none": nil}
	var m2 map[string][]int
	roundTrip(m, &m2)
	fmt.Println(len(m2), m2["one"], m2["two"], m2["none"] == nil)

	nested := map[int]map[string]bool{1: {"t": true}, 2: {"f": false}}
	var nested2 map[int]map[string]bool
	roundTrip(nested, &nested2)
	fmt.Println(nested2)

	// Interfaces.
	d := Drawing{Name: "d", Shapes: []Shape{Rect{2, 3}, &Circle{1}}, Main: Rect{1, 1}}
	var d2 Drawing
	roundTrip(d, &d2)
	fmt.Println(d2.Name, len(d2.Shapes), d2.Main.Area())
	for _, s := range d2.Shapes {
		fmt.Printf("%T %v\n", s, s.Area())
	}

	// An unregistered concrete type is an error.
	type Unregistered struct{ A int }
	var bad bytes.Buffer
	err := gob.NewEncoder(&bad).Encode(&struct{ S interface{} }{Unregistered{1}})
	fmt.Println("unregistered:", err)

	// GobEncoder types: time.Time and *big.Int, *big.Rat.
	n, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	st := Stamped{
		When: time.Date(2009, time.November, 10, 23, 4, 5, 6, time.FixedZone("X", 3600)),
		N:    n,
		R:    big.NewRat(-22, 7),
	}
	var st2 Stamped
	roundTrip(st, &st2)
	fmt.Println(st2.When.Format(time.RFC3339Nano), st2.When.Equal(st.When), st2.N, st2.R)

	// Several values on one stream, types sent once.
	var stream bytes.Buffer
	enc := gob.NewEncoder(&stream)
	for i := 0; i < 3; i++ {
		if err := enc.Encode(Point{i, i * i}); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("stream bytes:", stream.Len())
	dec := gob.NewDecoder(&stream)
	for {
		var p Point
		if err := dec.Decode(&p); err != nil {
			fmt.Println("end:", err)
			break
		}
		fmt.Println(p)
	}

	// Decoding into a wrong type is an error with Go's text.
	var buf bytes.Buffer
	gob.NewEncoder(&buf).Encode(Point{1, 2})
	var s string
	fmt.Println("mismatch:", gob.NewDecoder(&buf).Decode(&s))

	// Basic values and the exact bytes of one encoding.
	var b bytes.Buffer
	gob.NewEncoder(&b).Encode(Point{7, -8})
	fmt.Printf("% x\n", b.Bytes())
	var i64 int64
	roundTrip(int64(-1<<40), &i64)
	fmt.Println(i64)
}
