// Package reflectlite: the part of Go's internal/reflectlite that the
// packages compiled from Go's source use (sort.Slice: Swapper and
// ValueOf(x).Len()). Reflection is bound to g2n's type descriptors, so it is
// g2n's own; the slice operations are implemented by the runtime
// (crates/runtime/src/stdlib.rs).
package reflectlite

// Value holds a value of any type; only what sort needs of it.
type Value struct {
	v any
}

// ValueOf returns a Value holding i.
func ValueOf(i any) Value {
	return Value{v: i}
}

// Len returns the length of the slice v holds; it panics for any other kind
// (Go's Len also takes arrays, strings, maps and channels; sort needs slices).
func (v Value) Len() int {
	return sliceLen(v.v)
}

// Swapper returns a function that swaps the elements i and j of the slice;
// it panics if slice is not a slice.
func Swapper(slice any) func(i, j int) {
	n := swapperLen(slice)
	return func(i, j int) {
		if uint(i) >= uint(n) || uint(j) >= uint(n) {
			panic("reflect: slice index out of range")
		}
		swap(slice, i, j)
	}
}

func sliceLen(slice any) int
func swapperLen(slice any) int
func swap(slice any, i, j int)
