// Package runtime is g2n's own: Go's is its runtime, which g2n replaces with
// crates/runtime. Bodyless functions are implemented there
// (crates/runtime/src/stdlib_runtime.rs).
package runtime

// GOOS and GOARCH are the target the standard library's files are chosen
// for (g2n_packages::constraint: linux and amd64).
const GOOS = "linux"
const GOARCH = "amd64"

// Compiler is the toolchain that built the program. Neither "gc" nor
// "gccgo": code that switches on it to use gc's internals (its runtime's
// symbols, its assembly) must not take that path with g2n, and the loader
// sets neither compiler's build tag.
const Compiler = "g2n"

// Version is the Go release whose language and library g2n implements.
func Version() string {
	return "go1.19"
}

// GOROOT is the Go source tree: $GOROOT when set, else where Debian's
// golang-1.19-src package puts it (the compiler's default).
func GOROOT() string {
	return goroot()
}

func goroot() string

// NumCPU is the number of CPUs the process may run on.
func NumCPU() int {
	return numCPU()
}

func numCPU() int

// maxProcs is what GOMAXPROCS last set. g2n runs a flow's goroutines on one
// thread, so the setting starts at 1 and changes nothing.
var maxProcs = 1

// GOMAXPROCS sets the recorded setting when n > 0 and returns the previous
// one.
func GOMAXPROCS(n int) int {
	previous := maxProcs
	if n > 0 {
		maxProcs = n
	}
	return previous
}

// NumGoroutine is the number of goroutines of this flow that are alive.
func NumGoroutine() int {
	return numGoroutine()
}

func numGoroutine() int

// Gosched lets the other runnable goroutines run before this one goes on.
func Gosched() {
	gosched()
}

func gosched()

// GC runs a collection (the conservative collector's, docs/architecture.md).
func GC() {
	collect()
}

func collect()

// KeepAlive marks x as reachable up to this call. The collector scans
// stacks and registers conservatively, so the call only has to use x: a
// store the compiler cannot drop.
func KeepAlive(x any) {
	kept = x
	kept = nil
}

// kept has an initializer: without one, a variable of a hand-written
// package is read from the runtime.
var kept any = nil

// SetFinalizer sets (with a nil finalizer: clears) the function that runs
// on a goroutine of its own once the collector finds obj unreachable, as
// Go's (crates/runtime/src/finalizer.rs). A wrong argument is Go's fatal
// error, which no recover stops.
func SetFinalizer(obj any, finalizer any) {
	if obj == nil {
		throw("runtime.SetFinalizer: first argument is nil")
	}
	if !isPointer(obj) {
		throw("runtime.SetFinalizer: first argument is " + typeName(obj) + ", not pointer")
	}
	if finalizer != nil && !isFunc(finalizer) {
		throw("runtime.SetFinalizer: second argument is " + typeName(finalizer) + ", not a function")
	}
	if msg := setFinalizer(obj, finalizer); msg != "" {
		throw(msg)
	}
}

func setFinalizer(obj any, finalizer any) string

// throw is Go's fatal error: `fatal error: msg`, the trace, exit code 2.
func throw(msg string)

func isPointer(x any) bool
func isFunc(x any) bool
func typeName(x any) string

// Goexit ends the calling goroutine after running its deferred calls; a
// recover in them returns nil. Called by goroutine 1, the program goes on
// until the other goroutines end, then it is a deadlock, as in Go.
func Goexit() {
	goexit()
}

func goexit()

// LockOSThread and UnlockOSThread: a flow's goroutines all run on one
// thread already.
func LockOSThread()   {}
func UnlockOSThread() {}

// Breakpoint is not supported: it panics.
func Breakpoint() {
	panic("runtime.Breakpoint is not supported by g2n")
}

// SetMutexProfileFraction and SetBlockProfileRate: g2n keeps no profiles.
func SetMutexProfileFraction(rate int) int { return 0 }
func SetBlockProfileRate(rate int)         {}
