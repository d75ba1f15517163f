// `x op= y` and `x++` evaluate x once: the calls, receives and index
// operands of the place happen once, before y; x is read after y's calls
// (Go's compiler hoists them). regexp/syntax's `p.op(OpEndText).Flags |=
// WasDollar` pushed two `$` nodes when the call ran twice, so
// regexp.MustCompile(`^0$`).LiteralPrefix() said the prefix was incomplete.
package main

import (
	"fmt"
	"regexp"
)

type node struct {
	flags uint16
	n     int
	s     string
	f     float64
	arr   [3]int8
}

type parser struct{ stack []*node }

// push appends a node and returns it, as regexp/syntax's parser.op does.
func (p *parser) push() *node {
	n := &node{flags: 212}
	p.stack = append(p.stack, n)
	return n
}

var calls int

func count() int { calls++; return calls }

func pick(nodes []*node) *node { return nodes[count()%len(nodes)] }

func at(i int) int { calls++; return i }

func main() {
	var p parser
	p.push().flags |= 256
	fmt.Println(len(p.stack), p.stack[0].flags)

	nodes := []*node{{}, {}, {}}
	calls = 0
	pick(nodes).n += 5
	pick(nodes).n++
	pick(nodes).n--
	pick(nodes).s += "x"
	pick(nodes).f *= 2
	pick(nodes).arr[at(1)] -= 3
	pick(nodes).flags <<= 2
	pick(nodes).flags >>= 1
	for _, n := range nodes {
		fmt.Println(n.n, n.s, n.f, n.arr, n.flags)
	}
	fmt.Println("calls", calls)

	// Slice and array elements with a call in the index, or a pointer from a call.
	calls = 0
	xs := []int{1, 2, 3, 4}
	xs[at(1)] += 10
	xs[at(2)]++
	arr := [4]uint8{250, 1, 2, 3}
	arr[at(0)] += 10
	pa := func() *[4]uint8 { calls++; return &arr }
	pa()[3] ^= 0xff
	*func() *int { calls++; return &xs[0] }() -= 7
	fmt.Println(xs, arr, "calls", calls)

	// Map entries: the key (and the map) once.
	calls = 0
	m := map[string]int{}
	key := func() string { calls++; return fmt.Sprint("k", calls) }
	m[key()] += 3
	m[key()]++
	maps := func() map[string]int { calls++; return m }
	maps()["z"] -= 2
	ms := map[int]string{}
	ms[at(7)] += "seven"
	fmt.Println(m, ms, "calls", calls)

	// A receive in the index happens once.
	ch := make(chan int, 2)
	ch <- 1
	ch <- 3
	xs[<-ch] *= 100
	xs[<-ch] |= 1
	fmt.Println(xs, len(ch))

	// Division by zero panics before the map is written, the key taken once.
	calls = 0
	func() {
		defer func() { fmt.Println("recovered:", recover() != nil, m, "calls", calls) }()
		zero := 0
		m[key()] /= zero
	}()

	// y's calls happen before x is read, and before x's variables are read.
	i := 0
	a := []int{1, 2, 3}
	f := func() int { i = 2; return 10 }
	a[i] += f()
	v := 1
	g := func() int { v = 100; return 1 }
	v += g()
	fmt.Println(a, i, v)

	for _, s := range []string{`^0$`, `^abc$`, `^abc`, `abc`, `a$`} {
		prefix, complete := regexp.MustCompile(s).LiteralPrefix()
		fmt.Printf("%q %q %v\n", s, prefix, complete)
	}
	fmt.Println(regexp.MustCompile(`0$`).String(), regexp.MustCompile(`^0$`).MatchString("0"))
}
