// Package testenv is g2n's own: Go's asks the go command (`go env`,
// `go tool`) and os/exec about the machine its tests run on. Under
// `g2n test` g2n is the toolchain: there is no go command to build or run
// with, so what needs one is skipped with the reason. Subprocesses can be
// started (os/exec). The rest answers as Go's does on linux/amd64.
package testenv

import (
	"errors"
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// Builder reports the name of the builder running this test (Go's build
// infrastructure sets GO_BUILDER_NAME), "" anywhere else.
func Builder() string {
	return os.Getenv("GO_BUILDER_NAME")
}

// HasGoBuild reports whether the tests can build programs with the go
// command and run them: never under g2n.
func HasGoBuild() bool {
	return false
}

// MustHaveGoBuild skips the test: it would run `go build`.
func MustHaveGoBuild(t testing.TB) {
	t.Helper()
	t.Skipf("skipping test: 'go build' not available under g2n test on %s/%s", runtime.GOOS, runtime.GOARCH)
}

// HasGoRun reports whether the tests can use `go run`: never under g2n.
func HasGoRun() bool {
	return HasGoBuild()
}

// MustHaveGoRun skips the test: it would run `go run`.
func MustHaveGoRun(t testing.TB) {
	t.Helper()
	t.Skipf("skipping test: 'go run' not available under g2n test on %s/%s", runtime.GOOS, runtime.GOARCH)
}

// errNoGoTool is GoTool's answer: there is no go command to run.
var errNoGoTool = errors.New("platform cannot run go tool: g2n test has no go command")

// GoTool reports the path of the go command: an error under g2n.
func GoTool() (string, error) {
	return "", errNoGoTool
}

// GoToolPath skips the test, as Go's does where the go command cannot be
// run.
func GoToolPath(t testing.TB) string {
	t.Helper()
	MustHaveGoBuild(t)
	return ""
}

// GOROOT is the Go source tree the tests run in (runtime.GOROOT: the tree
// g2n compiles the standard library from); the test is skipped when there
// is none, and a nil t panics, as in Go.
func GOROOT(t testing.TB) string {
	path := runtime.GOROOT()
	if path == "" {
		err := errors.New("cannot find GOROOT: GOROOT is not set and runtime.GOROOT() is empty")
		if t == nil {
			panic(err)
		}
		t.Helper()
		t.Skip(err)
	}
	return path
}

// HasSrc reports whether the source tree is available under GOROOT: g2n
// compiles the standard library from it, so it is.
func HasSrc() bool {
	return true
}

// HasExec reports whether a test can start a subprocess: a g2n program
// can (os/exec and os.StartProcess are Go's, over a fork in g2n's runtime).
func HasExec() bool {
	return true
}

// MustHaveExec returns: subprocesses can be started.
func MustHaveExec(t testing.TB) {}

// MustHaveExecPath skips the test unless path names an executable file,
// itself (when it has a slash) or in a directory of $PATH, as Go's does
// through exec.LookPath (not imported here: it would load os/exec and
// context into every test binary that imports testenv).
func MustHaveExecPath(t testing.TB, path string) {
	if !findExecutable(path) {
		t.Helper()
		t.Skipf("skipping test: %s: executable file not found in $PATH", path)
	}
}

// findExecutable reports whether path, or path in a directory of $PATH,
// is a regular file with an execute bit set.
func findExecutable(path string) bool {
	executable := func(file string) bool {
		info, err := os.Stat(file)
		return err == nil && !info.IsDir() && info.Mode()&0o111 != 0
	}
	for i := 0; i < len(path); i++ {
		if path[i] == '/' {
			return executable(path)
		}
	}
	dirs := os.Getenv("PATH")
	start := 0
	for i := 0; i <= len(dirs); i++ {
		if i == len(dirs) || dirs[i] == ':' {
			dir := dirs[start:i]
			if dir == "" {
				dir = "."
			}
			if executable(dir + "/" + path) {
				return true
			}
			start = i + 1
		}
	}
	return false
}

// HasExternalNetwork reports whether tests may use the external network:
// g2n's tests stay on loopback, so never.
func HasExternalNetwork() bool {
	return false
}

// MustHaveExternalNetwork skips the test: it would reach the internet.
func MustHaveExternalNetwork(t testing.TB) {
	t.Helper()
	t.Skipf("skipping test: no external network under g2n test")
}

// HasCGO reports whether cgo is available: g2n has none.
func HasCGO() bool {
	return false
}

// MustHaveCGO skips the test: it needs cgo.
func MustHaveCGO(t testing.TB) {
	t.Helper()
	t.Skipf("skipping test: no cgo")
}

// CanInternalLink reports whether the go linker can link internally: there
// is no go linker under g2n.
func CanInternalLink() bool {
	return false
}

// MustInternalLink skips the test: it would run the go linker.
func MustInternalLink(t testing.TB) {
	t.Helper()
	t.Skipf("skipping test: internal linking is not available under g2n test")
}

// HasSymlink reports whether the system can make symbolic links: linux can.
func HasSymlink() bool {
	return true
}

// MustHaveSymlink returns: linux can make symbolic links.
func MustHaveSymlink(t testing.TB) {}

// HasLink reports whether the system can make hard links: linux can.
func HasLink() bool {
	return true
}

// MustHaveLink returns: linux can make hard links.
func MustHaveLink(t testing.TB) {}

// flaky is Go's -flaky flag of every test binary that imports testenv.
var flaky = flag.Bool("flaky", false, "run known-flaky tests too")

// SkipFlaky skips a test known to be flaky (Go's issue number given)
// unless the binary runs with -flaky.
func SkipFlaky(t testing.TB, issue int) {
	t.Helper()
	if !*flaky {
		t.Skipf("skipping known flaky test without the -flaky flag; see golang.org/issue/%d", issue)
	}
}

// SkipFlakyNet skips a test on a builder whose network is known to fail
// (GO_BUILDER_FLAKY_NET set to true).
func SkipFlakyNet(t testing.TB) {
	t.Helper()
	if on, _ := strconv.ParseBool(os.Getenv("GO_BUILDER_FLAKY_NET")); on {
		t.Skip("skipping test on builder known to have frequent network failures")
	}
}

// CPUIsSlow reports whether the processor is too slow for long tests:
// Go counts only arm and mips as slow, and g2n runs on amd64.
func CPUIsSlow() bool {
	return false
}

// SkipIfShortAndSlow skips the test in -short mode on a slow processor
// (never on amd64).
func SkipIfShortAndSlow(t testing.TB) {
	if testing.Short() && CPUIsSlow() {
		t.Helper()
		t.Skipf("skipping test in -short mode on %s", runtime.GOARCH)
	}
}

// OptimizationOff reports whether the code was compiled without
// optimizations (Go's noopt build tag): g2n always optimizes.
func OptimizationOff() bool {
	return false
}
