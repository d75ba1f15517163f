// A non-constant shift whose shifted operand is itself an untyped
// non-constant shift (`1 << m << e`, strconv's atof.go) stays untyped and
// takes the type of its context, as the inner one does.
package main

import "fmt"

func main() {
	var m, e uint = 52, 11
	var bits uint64
	bits |= 1 << m << e
	fmt.Println(bits)
	var small uint8 = 1 << m >> 50
	fmt.Println(small)
	x := 1 << m << 1
	fmt.Printf("%T %v\n", x, x)
	var f float64 = 3
	fmt.Println(f + 1<<2)
}
