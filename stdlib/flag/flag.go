// Package flag: the command-line parsing that programs without their own
// flags use (implemented by the runtime, crates/runtime/src/args.rs).
package flag

func Parse()
func Parsed() bool
func Arg(i int) string
func NArg() int
func Args() []string
func NFlag() int
