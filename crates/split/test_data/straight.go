// Two hops in a row: only what is read after a hop travels (`scratch` is
// dead after the first), and a package-level variable travels at every hop.
package main

var calls = 0

func main() {
	name := "flow"
	scratch := 41
	calls = scratch + 1
	goToNetwork 'middle'
	count := len(name) * 2
	goToNetwork 'last'
	println(name, count, calls)
}
