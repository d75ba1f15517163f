package main

import (
	"fmt"
	"sort"
	"strings"
)

// Interface values travel across hops; each call site's cache of the last
// type it saw belongs to one process, so the calls after a hop, in another
// process with other addresses, must still reach each value's own method.

type Shape interface {
	Area() int
	Name() string
}

type Square struct{ side int }
type Rect struct{ w, h int }
type Label string

func (s Square) Area() int    { return s.side * s.side }
func (s Square) Name() string { return "square" }
func (r *Rect) Area() int     { return r.w * r.h }
func (r *Rect) Name() string  { return "rect" }
func (l Label) Area() int     { return len(l) }
func (l Label) Name() string  { return "label " + string(l) }

func describe(s Shape) string { return fmt.Sprintf("%s:%d", s.Name(), s.Area()) }

type byArea []Shape

func (b byArea) Len() int           { return len(b) }
func (b byArea) Less(i, j int) bool { return b[i].Area() < b[j].Area() }
func (b byArea) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

func main() {
	shapes := []Shape{Square{3}, &Rect{2, 7}, Label("hello"), Square{1}}
	var parts []string
	for _, s := range shapes {
		parts = append(parts, describe(s))
	}
	fmt.Println(strings.Join(parts, " "))
	var one Shape = &Rect{4, 4}
	for i := 0; i < 3; i++ {
		goToNetwork 'mover'
		fmt.Println(i, describe(one), describe(shapes[i]))
		one = shapes[(i+1)%len(shapes)]
	}
	goToNetwork 'sorter'
	sort.Sort(byArea(shapes))
	parts = parts[:0]
	for _, s := range shapes {
		parts = append(parts, describe(s))
	}
	fmt.Println(strings.Join(parts, " "))
	var w fmt.Stringer
	goToNetwork 'printer'
	fmt.Println(w == nil, describe(one))
}
