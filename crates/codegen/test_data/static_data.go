// Package-level variables with constant initialisers are data, not code:
// a table of structs behind a pointer, a slice of strings, a copy of a
// pointer variable nothing assigns, a scalar. `base` is assigned by `bump`,
// so `derived`, a copy of it, keeps start-up code (Go's order: after
// `bumped`), and so does a map literal.
// clif: g2n_unit_entry bump
// data: table names alias derived limit counts
package main

type span struct {
	Lo, Hi uint16
	Stride int8
}

type ranges struct {
	Spans  []span
	Latin  int
	Ratio  float64
	Active bool
}

var table = &ranges{Spans: []span{{0x41, 0x5a, 1}, {0x61, 0x7a, -1}}, Latin: 2, Ratio: 0.5, Active: true}
var names = []string{"upper", "lower"}
var alias = table
var base = 10
var bumped = bump()
var derived = base
var limit uint32 = 1 << 31
var counts = map[string]int{"a": 1}

func bump() int {
	base++
	return base
}

func main() {
	println(alias.Spans[1].Hi, names[0], bumped, derived, limit, counts["a"])
}
