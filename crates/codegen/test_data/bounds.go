// Slice indexing inside a counted loop (the bounds check that
// docs/optimizations.md removes) and a string index that keeps its check.
// clif: sum byteAt
package main

func sum(xs []int) int {
	total := 0
	for i := 0; i < len(xs); i++ {
		total += xs[i]
	}
	return total
}

func byteAt(s string, i int) byte { return s[i] }

func main() {
	println(sum([]int{1, 2, 3}), byteAt("abc", 1))
}
