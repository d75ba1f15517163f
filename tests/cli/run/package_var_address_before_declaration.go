// The address of a package-level variable declared later in the file, in
// package-level initializers (plain, in a struct literal, in an elided
// literal of a map): the later declaration is checked first, as for any
// other use of it (io/fs's tests take &sysValue this way).
package main

import "fmt"

type holder struct{ p *int }

var p = &b
var h = holder{p: &b}
var hs = map[string]holder{"x": {p: &c}}

var b int
var c = 5

func main() {
	*p = 3
	fmt.Println(b, *h.p, *hs["x"].p)
}
