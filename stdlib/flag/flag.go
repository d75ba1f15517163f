// Package flag: the command-line parsing that programs without their own
// flags use (implemented by the runtime, crates/runtime/src/args.rs).
package flag

func Parse()
func Parsed() bool
func Arg(i int) string
func NArg() int
func Args() []string
func NFlag() int

// Int defines an int flag and returns the address of its value, which is
// the default: the runtime's Parse keeps the arguments and sets no defined
// flag (testing/quick's -quickchecks is the one user so far).
func Int(name string, value int, usage string) *int {
	p := new(int)
	*p = value
	return p
}
