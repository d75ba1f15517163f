// testing/quick compiled from Go's source (it calls functions through
// reflect.Value.Call and makes values with reflect), against go run.
package main

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing/quick"
)

type Pair struct {
	Name  string
	Count int16
	Tags  []byte
	Next  *Pair
	Score map[int8]float32
}

// Small is a Generator: quick asks it for its own values.
type Small int

func (Small) Generate(r *rand.Rand, size int) reflect.Value {
	return reflect.ValueOf(Small(r.Intn(10)))
}

func main() {
	cfg := func(seed int64) *quick.Config { return &quick.Config{MaxCount: 50, Rand: rand.New(rand.NewSource(seed))} }

	fmt.Println(quick.Check(func(x, y int) bool { return x+y == y+x }, cfg(1)))
	fmt.Println(quick.Check(func(s string, b []byte) bool { return len(s+string(b)) == len(s)+len(b) }, cfg(2)))

	err := quick.Check(func(x uint8) bool { return x < 200 }, cfg(3))
	ce, ok := err.(*quick.CheckError)
	fmt.Println(ok, ce.Count, ce.In)
	fmt.Println(err)

	err = quick.CheckEqual(func(a, b int32) int64 { return int64(a) * int64(b) }, func(a, b int32) int64 { return int64(a * b) }, cfg(4))
	if ee, ok := err.(*quick.CheckEqualError); ok {
		fmt.Println("CheckEqual:", ee.Count, ee.In, ee.Out1, ee.Out2)
	}
	fmt.Println(quick.CheckEqual(func(p Pair) int { return len(p.Tags) + len(p.Name) }, func(p Pair) int { return len(p.Name) + len(p.Tags) }, cfg(5)))

	r := rand.New(rand.NewSource(6))
	for i := 0; i < 3; i++ {
		v, ok := quick.Value(reflect.TypeOf(Pair{}), r)
		p := v.Interface().(Pair)
		fmt.Println(ok, len(p.Name), p.Count, len(p.Tags), p.Next != nil, len(p.Score))
	}
	v, _ := quick.Value(reflect.TypeOf([3]Small{}), r)
	fmt.Println(v.Interface())

	fmt.Println(quick.Check(func(s Small) bool { return s < 10 }, cfg(7)))
	fmt.Println(quick.Check(func(x int) {}, nil))
	fmt.Println(quick.Check(42, nil))
	fmt.Println(quick.CheckEqual(func(int) int { return 0 }, func(string) int { return 0 }, nil))
}
