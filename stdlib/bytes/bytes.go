// Package bytes: byte-slice functions, implemented by the runtime
// (crates/runtime/src/stdlib.rs).
package bytes

func Compare(a, b []byte) int
func Equal(a, b []byte) bool
func IndexByte(b []byte, c byte) int
func Index(s, sep []byte) int
func Contains(b, subslice []byte) bool
func HasPrefix(s, prefix []byte) bool
func HasSuffix(s, suffix []byte) bool
