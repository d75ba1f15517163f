// Package fmt: the functions the runtime implements (crates/runtime/src/fmt).
package fmt

func Printf(format string, a ...any) (n int, err error)
func Println(a ...any) (n int, err error)
func Print(a ...any) (n int, err error)
func Sprintf(format string, a ...any) string
func Sprint(a ...any) string
func Sprintln(a ...any) string
func Errorf(format string, a ...any) error
