// Split per line: every statement line of main becomes its own nanoservice
// `line-N`, each hop carrying what the following lines still read.
// split: per-line
package main

func main() {
	a := 1
	b := a + 2
	println(a, b)
	c := b * 3
	println(c)
}
