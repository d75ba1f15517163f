// Package-level variables whose initialisers are constant are laid out as
// data in the executable rather than built by start-up code: they must
// behave exactly as if built at start-up. Assigned, appended to, their
// address taken, their objects modified, heap pointers stored into them
// and kept alive across many collections.
package main

import (
	"fmt"
	"strings"
)

type span struct {
	Lo, Hi, Stride uint16
}

type table struct {
	Spans  []span
	Wide   []uint32
	Name   string
	Offset int
	Neg    int8
	Ratio  float32
	Z      complex128
	On     bool
	Next   *table
	Words  []string
}

var inner = &table{Spans: []span{{0x41, 0x5a, 1}}, Name: "inner", Offset: -7}

var outer = &table{
	Spans:  []span{{0x61, 0x7a, 1}, {0xc0, 0xd6, 1}},
	Wide:   []uint32{0x10000, 0x1fffe},
	Name:   "outer",
	Offset: 1 << 40,
	Neg:    -128,
	Ratio:  0.1,
	Z:      complex(1.5, -2),
	On:     true,
	Words:  []string{"a", "", "héllo"},
}

var powers = [...][2]uint64{{1, 2}, {0xffffffffffffffff, 0x8000000000000000}}
var empty = []int{}
var nilSlice []int
var nilPtr *table = nil
var list = []*table{{Name: "first"}, {Name: "second", Offset: 2}}
var grid = [2][3]int8{{1, -1, 2}, {-3}}
var counter = 41
var message = "package data"
var copied = outer.Name + "!"

// Copies of other statically initialised variables: of those nothing
// assigns (laid out as data too), and of those something assigns or that
// are arrays (code: their value when the copy is initialised).
var small int8 = -5
var pair = struct {
	A int8
	B int8
	C *table
}{small, 3, inner}
var alias = inner
var aliases = []*table{inner, outer, alias}
var gridCopy = grid
var assigned = &table{Name: "assigned"}
var copyOfAssigned = assigned
var base = 10
var bumped = bump()

func bump() int {
	base++
	grid[0][1] = 9
	return base
}

func init() {
	counter++
	outer.Next = inner
}

func garbage(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 1024)
		b[0] = byte(i)
		total += int(b[0])
	}
	return total
}

func main() {
	fmt.Println(outer.Name, outer.Spans, outer.Wide, outer.Offset, outer.Neg, outer.Ratio, outer.Z, outer.On, outer.Words, len(outer.Words[2]))
	fmt.Println(outer.Next.Name, outer.Next.Spans, outer.Next.Offset, inner.Next == nil)
	fmt.Println(powers, len(powers))
	fmt.Println(empty == nil, len(empty), cap(empty), nilSlice == nil, nilPtr == nil)
	fmt.Println(list[0].Name, list[1].Name, list[1].Offset, grid)
	fmt.Println(counter, message, copied)
	fmt.Println(pair.A, pair.B, pair.C.Name, alias == inner, aliases[2] == inner, aliases[1].Name, gridCopy, copyOfAssigned.Name, bumped, base)
	assigned = &table{Name: "reassigned"}
	gridCopy[0][0] = 100
	fmt.Println(copyOfAssigned.Name, assigned.Name, grid[0][0], gridCopy[0][0])

	// Assignments to the variables and to the objects they point to.
	counter = 7
	message += " changed"
	outer.Spans[1].Hi = 0xff
	powers[0][1] = 99
	grid[1][2] = 5
	empty = append(empty, 1, 2, 3)
	list = append(list, &table{Name: "third"})
	p := &outer.Spans[0]
	p.Lo = 0x62
	fmt.Println(counter, message, outer.Spans, powers[0], grid, empty, len(list), list[2].Name)

	// Heap values stored into static data survive collections.
	for i := 0; i < 50; i++ {
		outer.Words[1] = strings.Repeat("x", i%5+1)
		list[0] = &table{Name: fmt.Sprint("heap", i)}
		inner.Spans = append([]span{}, span{uint16(i), uint16(i + 1), 1})
		garbage(200)
	}
	fmt.Println(outer.Words, list[0].Name, inner.Spans, outer.Next.Spans)
}
