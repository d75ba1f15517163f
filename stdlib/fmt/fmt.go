// Package fmt declares the formatted I/O functions that g2n implements in its
// runtime. Bodiless functions are intrinsics: the compiler lowers each call to
// the runtime entry point that g2n-abi names for it.
package fmt

func Printf(format string, a ...any) (n int, err error)
func Println(a ...any) (n int, err error)
func Print(a ...any) (n int, err error)
