// fmt scans into operands of defined types by their kind, as Go's fmt does
// through reflect (`type Celsius float64; fmt.Sscan("21.5", &c)`), and
// takes a `*` width of a defined integer type (expected output from go run).
package main

import (
	"fmt"
	"strings"
)

type Celsius float64
type Count int
type Flag bool
type Name string
type Raw []byte
type Small uint8
type Wave complex128
type Point struct{ X int }

func main() {
	var c Celsius
	n, err := fmt.Sscan("21.5", &c)
	fmt.Println(n, err, c)

	var k Count
	var f Flag
	var s Name
	var r Raw
	var u Small
	var w Wave
	n, err = fmt.Sscan("42 true gopher bytes 200 (1+2i)", &k, &f, &s, &r, &u, &w)
	fmt.Println(n, err, k, f, s, string(r), u, w)

	// A float is scanned whatever the verb, as Go's reflect path does.
	n, err = fmt.Sscanf("0x1f 7.25", "%v %d", &k, &c)
	fmt.Println(n, err, k, c)
	n, err = fmt.Sscanf("ff", "%x", &u)
	fmt.Println(n, err, u)

	// The kind's range errors.
	n, err = fmt.Sscan("300", &u)
	fmt.Println(n, err, u)

	var t Celsius
	n, err = fmt.Fscan(strings.NewReader("  -3.5\n"), &t)
	fmt.Println(n, err, t)
	n, err = fmt.Sscanln("7 yes", &k, &f)
	fmt.Println(n, err, k, f)

	// What Go cannot scan into either.
	var p Point
	n, err = fmt.Sscan("1", &p)
	fmt.Println(n, err)
	n, err = fmt.Sscan("1", k)
	fmt.Println(n, err)

	// A `*` width or precision of a defined integer type.
	fmt.Printf("[%*d] [%-*d] [%.*f]\n", Count(5), 42, Small(4), 7, Count(2), 3.14159)
}
