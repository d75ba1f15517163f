// Package debug is g2n's own runtime/debug: Go's is bound to its runtime's
// collector, stacks and threads. g2n's collector is bdwgc (docs/architecture.md)
// and its goroutines run on fixed-size stacks (crates/runtime/src/stack.rs),
// so of the settings only the collector's on/off switch acts; the others are
// kept and returned as Go returns them, and do not change how a program runs.
package debug

import (
	"os"
	"runtime"
)

// setGCPercent turns collection off for a negative percent and on again
// for a non-negative one, and returns the previous percent (100 at start).
func setGCPercent(percent int) int

// SetGCPercent sets the collection target percentage and returns the
// previous one. A negative percentage turns collection off, as in Go; any
// other turns it on, and bdwgc's own growth policy decides when it runs.
func SetGCPercent(percent int) int {
	return setGCPercent(percent)
}

// FreeOSMemory runs a collection (runtime.GC). bdwgc keeps the freed
// memory for later allocations rather than returning it to the system.
func FreeOSMemory() {
	runtime.GC()
}

// The settings that are kept but not acted on, with Go's initial values.
var (
	maxStack     = 1000000000 // Go's limit for one goroutine's stack on 64-bit systems
	maxThreads   = 10000
	panicOnFault = false
	memoryLimit  = int64(1<<63 - 1)
	traceback    = "single"
)

// SetMaxStack records the limit of one goroutine's stack and returns the
// previous one. g2n's stacks have a fixed size; an overflow is reported as
// Go's `goroutine stack exceeds` fatal error whatever the limit.
func SetMaxStack(bytes int) int {
	previous := maxStack
	maxStack = bytes
	return previous
}

// SetMaxThreads records the limit of operating-system threads and returns
// the previous one. g2n runs a flow's goroutines on one thread.
func SetMaxThreads(threads int) int {
	previous := maxThreads
	maxThreads = threads
	return previous
}

// SetPanicOnFault records whether an unexpected fault at a non-nil address
// should panic instead of crashing, and returns the previous setting.
func SetPanicOnFault(enabled bool) bool {
	previous := panicOnFault
	panicOnFault = enabled
	return previous
}

// SetMemoryLimit records the soft memory limit and returns the previous one
// (a negative limit only reads it).
func SetMemoryLimit(limit int64) int64 {
	previous := memoryLimit
	if limit >= 0 {
		memoryLimit = limit
	}
	return previous
}

// SetTraceback records how much a fatal panic's traceback shows. g2n's
// traceback is always the running goroutine's.
func SetTraceback(level string) {
	traceback = level
}

// Stack returns the running goroutine's trace, formatted as a panic prints
// it (runtime.Stack).
func Stack() []byte {
	buf := make([]byte, 1024)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// PrintStack writes Stack's trace to standard error.
func PrintStack() {
	os.Stderr.Write(Stack())
}

// BuildInfo is the build information Go embeds in a binary built with
// module support.
type BuildInfo struct {
	GoVersion string
	Path      string
	Main      Module
	Deps      []*Module
	Settings  []BuildSetting
}

// Module is a module of the build.
type Module struct {
	Path    string
	Version string
	Sum     string
	Replace *Module
}

// BuildSetting is one setting of the build (a flag, an environment value).
type BuildSetting struct {
	Key, Value string
}

// ReadBuildInfo returns the build information embedded in the running
// binary: g2n embeds none, so the answer is nil, false (Go's answer for a
// binary built without module support).
func ReadBuildInfo() (info *BuildInfo, ok bool) {
	return nil, false
}
