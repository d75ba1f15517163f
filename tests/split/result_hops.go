package main

import "fmt"

// Struct and array results are written into memory their caller passes
// (crates/codegen/src/lower/calls.rs): into the cells of main's variables,
// which travel with main's scope at every hop, into stack slots of a helper
// that runs between hops, or into the heap where they are kept (a slice, a
// map, a pointer). Every kept result must arrive whole on the other side.

type point struct {
	x, y int
	tag  *string
}

type row [3]int

func makePoint(i int) point {
	tag := fmt.Sprint("p", i)
	p := point{tag: &tag}
	for k := 0; k < i; k++ {
		p.x += k
		p.y += 2 * k
	}
	return p
}

func makeRow(i int) (r row, err error) {
	for k := range r {
		r[k] = i * (k + 1)
	}
	return
}

func relay(i int) point { return makePoint(i + 1) }

type source interface{ next() point }

type counter struct{ n int }

func (c *counter) next() point { c.n++; return makePoint(c.n) }

func sumOf(i int) int {
	// Only read here: the results live in this frame.
	return makePoint(i).x + relay(i).y
}

func main() {
	var kept []point
	byName := map[string]row{}
	var src source = &counter{}
	var last *point
	for i := 0; i < 3; i++ {
		p := makePoint(i + 2)
		goToNetwork 'a'
		r, err := makeRow(i)
		q := src.next()
		kept = append(kept, relay(i), q)
		byName[fmt.Sprint(i)] = r
		goToNetwork 'b'
		last = &p
		fmt.Println(p.x, p.y, *p.tag, r, err, q.x, *q.tag, sumOf(i))
		p = relay(i + 5)
		goToNetwork 'c'
		fmt.Println(p.x, *p.tag, last.x)
	}
	for _, k := range kept {
		fmt.Print(k.x, k.y, *k.tag, " ")
	}
	fmt.Println(byName["0"], byName["2"])
}
