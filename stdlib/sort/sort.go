// Package sort: implemented by the runtime (crates/runtime/src/stdlib.rs).
package sort

func Ints(x []int)
func Strings(x []string)
func Float64s(x []float64)
func IntsAreSorted(x []int) bool
func StringsAreSorted(x []string) bool
func SearchInts(a []int, x int) int
