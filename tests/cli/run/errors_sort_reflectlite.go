// errors.Is/As and sort.Slice/SliceStable run on g2n's own
// internal/reflectlite (stdlib/internal/reflectlite), which reads the type
// descriptors without package reflect: targets of every kind errors.As
// accepts (struct values with tags, funcs, maps, channels, arrays, basic
// defined types, interfaces), Is on comparable and non-comparable errors,
// and Swapper on elements of 1, 8, 16, 24 and 40 bytes.
package main

import (
	"errors"
	"fmt"
	"sort"
)

type tagged struct {
	Code int `json:"code"`
	Msg  string
}

func (t tagged) Error() string { return fmt.Sprintf("tagged %d %s", t.Code, t.Msg) }

type funcErr func() string

func (f funcErr) Error() string { return f() }

type mapErr map[string]int

func (m mapErr) Error() string { return fmt.Sprint("map of ", len(m)) }

type chanErr chan int

func (c chanErr) Error() string { return fmt.Sprint("chan cap ", cap(c)) }

type arrayErr [3]int8

func (a arrayErr) Error() string { return fmt.Sprint("array ", a[0], a[1], a[2]) }

type byteErr uint8

func (b byteErr) Error() string { return fmt.Sprint("byte ", uint8(b)) }

type sliceErr []string

func (s sliceErr) Error() string { return fmt.Sprint("slice ", len(s)) }

type wrapper struct{ err error }

func (w wrapper) Error() string { return "wrapped: " + w.err.Error() }
func (w wrapper) Unwrap() error { return w.err }

type multi struct{ errs []error }

func (m multi) Error() string { return "multi" }
func (m multi) As(target any) bool {
	if p, ok := target.(*byteErr); ok {
		*p = 99
		return true
	}
	return false
}

type temporary interface{ Temporary() bool }

type tempErr struct{}

func (tempErr) Error() string   { return "temp" }
func (tempErr) Temporary() bool { return true }

func main() {
	chain := func(e error) error { return wrapper{wrapper{e}} }

	var tg tagged
	fmt.Println(errors.As(chain(tagged{7, "seven"}), &tg), tg.Code, tg.Msg)
	var fe funcErr
	fmt.Println(errors.As(chain(funcErr(func() string { return "from func" })), &fe), fe != nil && fe() == "from func")
	var me mapErr
	fmt.Println(errors.As(chain(mapErr{"a": 1, "b": 2}), &me), len(me), me["b"])
	var ce chanErr
	fmt.Println(errors.As(chain(make(chanErr, 4)), &ce), cap(ce))
	var ae arrayErr
	fmt.Println(errors.As(chain(arrayErr{1, -2, 3}), &ae), ae)
	var be byteErr
	fmt.Println(errors.As(chain(byteErr(200)), &be), be)
	fmt.Println(errors.As(multi{}, &be), be)
	var se sliceErr
	fmt.Println(errors.As(chain(sliceErr{"x", "y"}), &se), len(se))
	var tmp temporary
	fmt.Println(errors.As(chain(tempErr{}), &tmp), tmp != nil && tmp.Temporary())
	fmt.Println(errors.As(chain(byteErr(1)), &tmp), tmp != nil)
	var anyTarget any
	fmt.Println(errors.As(chain(byteErr(5)), &anyTarget), anyTarget)
	var wrongType tagged
	fmt.Println(errors.As(chain(byteErr(5)), &wrongType), wrongType.Code)

	fmt.Println(errors.Is(chain(tagged{1, "a"}), tagged{1, "a"}), errors.Is(chain(tagged{1, "a"}), tagged{1, "b"}))
	fmt.Println(errors.Is(chain(sliceErr{"a"}), sliceErr{"a"}), errors.Is(chain(byteErr(3)), byteErr(3)))
	fmt.Println(errors.Is(chain(arrayErr{1, 2, 3}), arrayErr{1, 2, 3}))

	try := func(name string, f func()) {
		defer func() { fmt.Println(name, "panics:", recover()) }()
		f()
	}
	try("nil pointer", func() { var p *tagged; errors.As(byteErr(1), p) })
	try("not an error", func() { var s *string; errors.As(byteErr(1), &s) })

	bytes := []byte("sorting")
	sort.Slice(bytes, func(i, j int) bool { return bytes[i] < bytes[j] })
	fmt.Println(string(bytes))
	ints := []int{5, -1, 3, 9, 0}
	sort.Slice(ints, func(i, j int) bool { return ints[i] > ints[j] })
	fmt.Println(ints)
	words := []string{"pear", "fig", "apple", "kiwi"}
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) < len(words[j]) })
	fmt.Println(words)
	triples := [][3]int64{{3, 0, 0}, {1, 1, 1}, {2, 2, 2}}
	sort.Slice(triples, func(i, j int) bool { return triples[i][0] < triples[j][0] })
	fmt.Println(triples)
	type rec struct {
		name string
		age  int
		tags []string
	}
	recs := []rec{{"c", 3, nil}, {"a", 1, []string{"x"}}, {"b", 2, nil}}
	sort.Slice(recs, func(i, j int) bool { return recs[i].name < recs[j].name })
	fmt.Println(recs)
	fmt.Println(sort.SliceIsSorted(recs, func(i, j int) bool { return recs[i].age < recs[j].age }))
	try("not a slice", func() { sort.Slice(42, func(i, j int) bool { return false }) })
}
