// Package testing is g2n's own: Go's is bound to its runtime (goroutines
// that end with runtime.Goexit, runtime.Callers for the line a message comes
// from, os.Pipe to capture an example's output). It follows Go 1.19's
// behaviour and output: `=== RUN`, `--- PASS/FAIL/SKIP: Name (0.00s)`,
// messages as `    file.go:12: text` (under the test's result line, or at
// once with -test.v), subtests named `parent/sub`, Helper, Cleanup, the
// -test.run patterns split at `/`, then PASS or FAIL. `g2n test` writes the
// main function that calls MainStart and runs the test binary.
//
// The runtime provides the bodyless functions (crates/runtime/src/testing.rs).
// Tests run one at a time: Parallel returns at once. Benchmarks run only
// with -test.bench.
package testing

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing/internal/matchre"
)

// goexit is runtime.Goexit: the goroutine's deferred calls run, then it ends.
func goexit()

// nanotime is a monotonic clock in nanoseconds.
func nanotime() int64

// callers lists the frames of Go code on the stack, innermost first, one a
// line: "function\tfile\tline".
func callers() string

// captureStart sends what the program writes to standard output to a
// buffer until captureEnd, which returns it (an example's output).
func captureStart()
func captureEnd() string

// The flags of the test binary, as `go test` passes them, registered with
// package flag (Init) as Go's testing registers them, so that a test's own
// flags (`var calibrate = flag.Bool(...)`) parse with them. (Initialized: in
// a hand-written package a typed variable without one is the runtime's.)
var (
	flagsRegistered = false
	chatty          = false
	short           = false
	runPattern      = ""
	benchPattern    = ""
)

// Init registers the testing flags with package flag. The test binary's
// main calls it (through MainStart); a program that uses testing outside
// `g2n test` calls it before flag.Parse, as in Go.
func Init() {
	if flagsRegistered {
		return
	}
	flagsRegistered = true
	flag.BoolVar(&chatty, "test.v", false, "verbose: print additional output")
	flag.BoolVar(&short, "test.short", false, "run smaller test suite to save time")
	flag.StringVar(&runPattern, "test.run", "", "run only tests and examples matching `regexp`")
	flag.StringVar(&benchPattern, "test.bench", "", "run only benchmarks matching `regexp`")
}

// parseFlags parses the command line once (M.Run, or Short or Verbose if a
// test asks first). An undefined flag ends the binary with flag's message
// and usage and exit code 2, as Go's test binary does.
func parseFlags() {
	Init()
	if !flag.Parsed() {
		flag.Parse()
	}
}

// Short reports whether the -test.short flag is set.
func Short() bool {
	parseFlags()
	return short
}

// Verbose reports whether the -test.v flag is set.
func Verbose() bool {
	parseFlags()
	return chatty
}

// Testing reports whether the current code is being run in a test.
func Testing() bool {
	return true
}

// CoverMode reports what the test coverage mode is set to: g2n has none.
func CoverMode() string {
	return ""
}

// AllocsPerRun calls f runs times (and once more to warm up, as Go does)
// and returns the average number of allocations per run, from
// runtime.MemStats' Mallocs as Go counts them (an integer: the total
// divided by runs). A flow's goroutines run on one thread, so Go's
// GOMAXPROCS(1) around the runs changes nothing here.
func AllocsPerRun(runs int, f func()) (avg float64) {
	f()
	var memstats runtime.MemStats
	runtime.ReadMemStats(&memstats)
	mallocs := 0 - memstats.Mallocs
	for i := 0; i < runs; i++ {
		f()
	}
	runtime.ReadMemStats(&memstats)
	mallocs += memstats.Mallocs
	return float64(mallocs / uint64(runs))
}

// InternalTest is a Test function with its name (for the generated main).
type InternalTest struct {
	Name string
	F    func(*T)
}

// InternalBenchmark is a Benchmark function with its name.
type InternalBenchmark struct {
	Name string
	F    func(b *B)
}

// InternalExample is an Example function with the output it must print.
type InternalExample struct {
	Name      string
	F         func()
	Output    string
	Unordered bool
}

// TB is the interface common to T and B.
type TB interface {
	Cleanup(func())
	Error(args ...any)
	Errorf(format string, args ...any)
	Fail()
	FailNow()
	Failed() bool
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Helper()
	Log(args ...any)
	Logf(format string, args ...any)
	Name() string
	Setenv(key, value string)
	Skip(args ...any)
	SkipNow()
	Skipf(format string, args ...any)
	Skipped() bool
	TempDir() string
}

// output is where a test's result lines go: standard output for the tests
// of the binary, the parent's output (indented) for a subtest.
type output interface {
	write(s string)
}

type stdout struct{}

func (stdout) write(s string) {
	fmt.Print(s)
}

// indenter indents each line by four spaces into a test's output, so a
// subtest's `---` line aligns under its parent's.
type indenter struct {
	c *common
}

func (w indenter) write(s string) {
	for len(s) > 0 {
		end := strings.Index(s, "\n")
		if end < 0 {
			end = len(s)
		} else {
			end++
		}
		w.c.output = append(w.c.output, "    "...)
		w.c.output = append(w.c.output, s[:end]...)
		s = s[end:]
	}
}

// chattyPrinter prints -test.v output as it happens, with `=== CONT` when
// the test that prints is not the one that printed last.
type chattyPrinter struct {
	lastName string
}

func (p *chattyPrinter) updatef(testName string, text string) {
	p.lastName = testName
	fmt.Print(text)
}

func (p *chattyPrinter) printf(testName string, text string) {
	if p.lastName == "" {
		p.lastName = testName
	} else if p.lastName != testName {
		fmt.Printf("=== CONT  %s\n", testName)
		p.lastName = testName
	}
	fmt.Print(text)
}

// frame is one line of callers().
type frame struct {
	function string
	file     string
	line     int
}

// stack is the caller's stack without the testing package's own frames at
// its top.
func stack() []frame {
	var frames []frame
	for _, text := range strings.Split(callers(), "\n") {
		parts := strings.Split(text, "\t")
		if len(parts) != 3 {
			continue
		}
		line := 0
		for _, c := range parts[2] {
			line = line*10 + int(c-'0')
		}
		function := parts[0]
		if open := strings.Index(function, "("); open > 0 && strings.HasSuffix(function, ")") && strings.Index(function, ")") == len(function)-1 {
			function = function[:open]
		} else if strings.HasSuffix(function, "(...)") || strings.HasSuffix(function, "()") {
			function = function[:strings.LastIndex(function, "(")]
		}
		frames = append(frames, frame{function, parts[1], line})
	}
	for len(frames) > 0 && isTestingFrame(frames[0].function) {
		frames = frames[1:]
	}
	return frames
}

func isTestingFrame(function string) bool {
	return strings.HasPrefix(function, "testing.")
}

type common struct {
	output   []byte
	w        output
	chatty   *chattyPrinter
	parent   *common
	level    int
	name     string
	failed   bool
	skipped  bool
	finished bool
	done     bool
	hasSub   bool
	ran      bool
	helpers  map[string]bool
	cleanups []func()
	// creator is the stack where Run made this subtest: a message from a
	// helper that is the subtest's function is attributed to it.
	creator    []frame
	start      int64
	duration   int64
	signal     chan bool
	tempDir    string
	tempDirSeq int
}

// T is a test's state, passed to Test functions.
type T struct {
	common
	context *testContext
}

// B is a benchmark's state: N is how many times to run the measured code.
type B struct {
	common
	N          int
	timerOn    bool
	startTime  int64
	elapsed    int64
	bytes      int64
	benchFunc  func(b *B)
	showAllocs bool
	// nameWidth pads the name in the result line (the longest selected).
	nameWidth int
	// parallelism multiplies GOMAXPROCS for RunParallel's goroutines.
	parallelism int
}

type testContext struct {
	match *matcher
}

// Name returns the name of the running test or benchmark.
func (c *common) Name() string {
	return c.name
}

func (c *common) setRan() {
	if c.parent != nil {
		c.parent.setRan()
	}
	c.ran = true
}

// Fail marks the function (and its parents) as having failed but
// continues execution.
func (c *common) Fail() {
	if c.parent != nil {
		c.parent.Fail()
	}
	if c.done {
		panic("Fail in goroutine after " + c.name + " has completed")
	}
	c.failed = true
}

// Failed reports whether the function has failed.
func (c *common) Failed() bool {
	return c.failed
}

// FailNow marks the function as having failed and stops its execution by
// calling runtime.Goexit (deferred calls run).
func (c *common) FailNow() {
	c.Fail()
	c.finished = true
	goexit()
}

// decorate prefixes s with the file and line of the call that logged it and
// indents it as Go does.
func (c *common) decorate(s string) string {
	f := c.frameSkip()
	file := f.file
	if index := strings.LastIndex(file, "/"); index >= 0 {
		file = file[index+1:]
	}
	if file == "" {
		file = "???"
	}
	line := f.line
	if line == 0 {
		line = 1
	}
	var b strings.Builder
	b.WriteString("    ")
	b.WriteString(fmt.Sprintf("%s:%d: ", file, line))
	lines := strings.Split(s, "\n")
	if l := len(lines); l > 1 && lines[l-1] == "" {
		lines = lines[:l-1]
	}
	for i, text := range lines {
		if i > 0 {
			b.WriteString("\n        ")
		}
		b.WriteString(text)
	}
	b.WriteString("\n")
	return b.String()
}

// frameSkip finds the frame a message is attributed to: the first caller
// that is not a helper; past the test's own function, the place its
// parent's Run created it.
func (c *common) frameSkip() frame {
	frames := stack()
	var first, prev frame
	haveFirst := false
	for i := 0; i < len(frames); i++ {
		f := frames[i]
		if !haveFirst {
			first = f
			haveFirst = true
		}
		if isTestingFrame(f.function) {
			// The runner of the test: the test function was a helper.
			if c.level > 1 && c.parent != nil {
				frames = c.creator
				i = -1
				c = c.parent
				continue
			}
			return prev
		}
		if !c.helpers[f.function] {
			return f
		}
		prev = f
	}
	return first
}

func (c *common) logDepth(s string) {
	if c.done {
		for parent := c.parent; parent != nil; parent = parent.parent {
			if !parent.done {
				parent.output = append(parent.output, parent.decorate(s)...)
				return
			}
		}
		panic("Log in goroutine after " + c.name + " has completed: " + s)
	}
	if c.chatty != nil {
		c.chatty.printf(c.name, c.decorate(s))
		return
	}
	c.output = append(c.output, c.decorate(s)...)
}

func (c *common) log(s string) {
	c.logDepth(s)
}

// Log formats its arguments as fmt.Println does and records the text in
// the error log.
func (c *common) Log(args ...any) {
	c.log(fmt.Sprintln(args...))
}

// Logf formats its arguments as fmt.Printf does and records the text.
func (c *common) Logf(format string, args ...any) {
	c.log(fmt.Sprintf(format, args...))
}

// Error is Log followed by Fail.
func (c *common) Error(args ...any) {
	c.log(fmt.Sprintln(args...))
	c.Fail()
}

// Errorf is Logf followed by Fail.
func (c *common) Errorf(format string, args ...any) {
	c.log(fmt.Sprintf(format, args...))
	c.Fail()
}

// Fatal is Log followed by FailNow.
func (c *common) Fatal(args ...any) {
	c.log(fmt.Sprintln(args...))
	c.FailNow()
}

// Fatalf is Logf followed by FailNow.
func (c *common) Fatalf(format string, args ...any) {
	c.log(fmt.Sprintf(format, args...))
	c.FailNow()
}

// Skip is Log followed by SkipNow.
func (c *common) Skip(args ...any) {
	c.log(fmt.Sprintln(args...))
	c.SkipNow()
}

// Skipf is Logf followed by SkipNow.
func (c *common) Skipf(format string, args ...any) {
	c.log(fmt.Sprintf(format, args...))
	c.SkipNow()
}

// SkipNow marks the test as skipped and stops its execution by calling
// runtime.Goexit.
func (c *common) SkipNow() {
	c.skipped = true
	c.finished = true
	goexit()
}

// Skipped reports whether the test was skipped.
func (c *common) Skipped() bool {
	return c.skipped
}

// Helper marks the calling function as a test helper function: messages
// are attributed to its caller's line instead.
func (c *common) Helper() {
	frames := stack()
	if len(frames) == 0 {
		return
	}
	if c.helpers == nil {
		c.helpers = map[string]bool{}
	}
	c.helpers[frames[0].function] = true
}

// Cleanup registers a function to be called when the test and all its
// subtests complete, last registered first.
func (c *common) Cleanup(f func()) {
	c.cleanups = append(c.cleanups, f)
}

// runCleanup runs the cleanup functions, last first; a panicking one does
// not keep the others from running.
func (c *common) runCleanup() {
	defer func() {
		if len(c.cleanups) > 0 {
			c.runCleanup()
		}
	}()
	for len(c.cleanups) > 0 {
		last := len(c.cleanups) - 1
		cleanup := c.cleanups[last]
		c.cleanups = c.cleanups[:last]
		cleanup()
	}
}

// TempDir returns a new temporary directory for the test, removed when the
// test and its subtests end; each call makes another one.
func (c *common) TempDir() string {
	if c.tempDir == "" {
		var pattern strings.Builder
		for _, r := range c.name {
			if '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune("!#$%&()+,-.=@^_{}~ ", r) || r >= 0x80 {
				pattern.WriteRune(r)
			}
		}
		dir, err := os.MkdirTemp("", pattern.String())
		if err != nil {
			c.Fatalf("TempDir: %v", err)
		}
		c.tempDir = dir
		c.Cleanup(func() {
			os.RemoveAll(dir)
		})
	}
	c.tempDirSeq++
	dir := fmt.Sprintf("%s/%03d", c.tempDir, c.tempDirSeq)
	if err := os.Mkdir(dir, 0o777); err != nil {
		c.Fatalf("TempDir: %v", err)
	}
	return dir
}

// Setenv sets an environment variable for the test and restores it when
// the test ends.
func (c *common) Setenv(key, value string) {
	previous, had := os.LookupEnv(key)
	if err := os.Setenv(key, value); err != nil {
		c.Fatalf("cannot set environment variable: %v", err)
	}
	if had {
		c.Cleanup(func() {
			os.Setenv(key, previous)
		})
	} else {
		c.Cleanup(func() {
			os.Unsetenv(key)
		})
	}
}

func fmtDuration(nanoseconds int64) string {
	return fmt.Sprintf("%.2fs", float64(nanoseconds)/1e9)
}

// flushToParent writes the result line, then the test's output, to its
// parent: standard output for a test, the parent's output for a subtest.
func (c *common) flushToParent(testName string, text string) {
	p := c.parent
	if len(c.output) > 0 {
		text += string(c.output)
		c.output = c.output[:0]
	}
	if c.chatty != nil && p.level == 0 {
		c.chatty.updatef(testName, text)
	} else {
		p.w.write(text)
	}
}

// Parallel signals that the test may run in parallel with others. g2n runs
// tests one at a time, so it returns at once.
func (t *T) Parallel() {}

// Setenv sets an environment variable for the test (see common.Setenv).
func (t *T) Setenv(key, value string) {
	t.common.Setenv(key, value)
}

// reportPanicking reports this test and every one above it as failed, for
// a panic that is about to end the program (as Go does).
func (c *common) reportPanicking() {
	for root := c; root.parent != nil; root = root.parent {
		root.duration += nanotime() - root.start
		root.flushToParent(root.name, fmt.Sprintf("--- FAIL: %s (%s)\n", root.name, fmtDuration(root.duration)))
	}
}

// report prints a test's or a fuzz target's result line to its parent.
func (c *common) report() {
	if c.parent == nil {
		return
	}
	d := fmtDuration(c.duration)
	if c.failed {
		c.flushToParent(c.name, fmt.Sprintf("--- FAIL: %s (%s)\n", c.name, d))
	} else if c.chatty != nil {
		status := "PASS"
		if c.skipped {
			status = "SKIP"
		}
		c.flushToParent(c.name, fmt.Sprintf("--- %s: %s (%s)\n", status, c.name, d))
	}
}

// panicked is what a test's goroutine ended with when it did not return.
type panicked struct {
	value any
}

var errNilPanicOrGoexit = fmt.Errorf("test executed panic(nil) or runtime.Goexit")

// tRunner runs fn as test t on the goroutine Run started, and reports the
// result on t.signal: true, or false when a subtest stopped its parent.
func tRunner(t *T, fn func(t *T)) {
	defer func() {
		err := recover()
		signal := true
		if !t.finished && err == nil {
			err = errNilPanicOrGoexit
			for p := t.parent; p != nil; p = p.parent {
				if p.finished {
					t.Errorf("%v: subtest may have called FailNow on a parent test", err)
					err = nil
					signal = false
					break
				}
			}
		}
		if err != nil {
			// A panic: report every test up to the top as failed, then
			// let the panic end the program, as Go does.
			t.Fail()
			t.runCleanup()
			t.common.reportPanicking()
			panic(err)
		}
		t.duration += nanotime() - t.start
		t.runCleanup()
		t.report()
		t.done = true
		if t.parent != nil && !t.hasSub {
			t.setRan()
		}
		t.signal <- signal
	}()
	t.start = nanotime()
	fn(t)
	t.finished = true
}

// Run runs f as a subtest of t called name, and reports whether it
// succeeded. The subtest runs on a goroutine of its own while Run waits.
func (t *T) Run(name string, f func(t *T)) bool {
	t.hasSub = true
	testName, ok := t.context.match.fullName(&t.common, name)
	if !ok {
		return true
	}
	sub := &T{context: t.context}
	sub.signal = make(chan bool, 1)
	sub.name = testName
	sub.parent = &t.common
	sub.level = t.level + 1
	sub.chatty = t.chatty
	sub.creator = stack()
	sub.w = indenter{&sub.common}
	if sub.chatty != nil {
		sub.chatty.updatef(sub.name, fmt.Sprintf("=== RUN   %s\n", sub.name))
	}
	go tRunner(sub, f)
	if !<-sub.signal {
		// A subtest called FailNow on this test: go on stopping it.
		goexit()
	}
	return !sub.failed
}

// M is what a TestMain function receives: Run runs the tests.
type M struct {
	tests       []InternalTest
	benchmarks  []InternalBenchmark
	fuzzTargets []InternalFuzzTarget
	examples    []InternalExample
	fuzzFunc    fuzzFuncOf
	exitCode    int
	ran         bool
}

// MainStart prepares the tests, benchmarks, fuzz tests and examples of the
// test binary of the package at path (g2n's generated main calls it; Go's
// has another signature). fuzzFunc, nil when there are no fuzz tests, is
// how F.Fuzz calls a fuzz function (fuzz.go).
func MainStart(path string, tests []InternalTest, benchmarks []InternalBenchmark, fuzzTargets []InternalFuzzTarget, examples []InternalExample, fuzzFunc func(ff any) (params []string, results int, call func(args []any), ok bool)) *M {
	importPath = path
	Init()
	return &M{tests: tests, benchmarks: benchmarks, fuzzTargets: fuzzTargets, examples: examples, fuzzFunc: fuzzFunc}
}

// RunMain runs the binary's tests through testMain (its TestMain function,
// or nil) and returns the exit code: TestMain's m.Run result when it
// returns without calling os.Exit, as in Go.
func RunMain(m *M, testMain func(*M)) int {
	if testMain == nil {
		return m.Run()
	}
	testMain(m)
	return m.exitCode
}

// Run runs the tests, then the fuzz tests on their seed corpora, then the
// examples, then the benchmarks -test.bench selects; it prints PASS or
// FAIL and returns the exit code.
func (m *M) Run() (code int) {
	if m.ran {
		return m.exitCode
	}
	m.ran = true
	parseFlags()
	if _, err := compileMatcher(runPattern); err != "" {
		fmt.Fprintf(os.Stderr, "testing: invalid regexp for -test.run: %s\n", err)
		m.exitCode = 2
		return 2
	}
	testRan, testOk := runTests(m.tests)
	fuzzRan, fuzzOk := runFuzzTests(m.fuzzTargets, m.fuzzFunc)
	exampleRan, exampleOk := runExamples(m.examples)
	if !testRan && !fuzzRan && !exampleRan && benchPattern == "" {
		fmt.Fprintln(os.Stderr, "testing: warning: no tests to run")
	}
	if !testOk || !fuzzOk || !exampleOk || !runBenchmarks(m.benchmarks) {
		fmt.Println("FAIL")
		m.exitCode = 1
		return 1
	}
	fmt.Println("PASS")
	m.exitCode = 0
	return 0
}

func runTests(tests []InternalTest) (ran, ok bool) {
	match, _ := compileMatcher(runPattern)
	t := &T{context: &testContext{match: match}}
	t.signal = make(chan bool, 1)
	t.w = stdout{}
	if Verbose() {
		t.chatty = &chattyPrinter{}
	}
	go tRunner(t, func(t *T) {
		for _, test := range tests {
			t.Run(test.Name, test.F)
		}
	})
	<-t.signal
	return t.ran, !t.failed
}

func runExamples(examples []InternalExample) (ran, ok bool) {
	ok = true
	match, _ := compileMatcher(runPattern)
	for _, eg := range examples {
		if _, matched := match.fullName(nil, eg.Name); !matched {
			continue
		}
		ran = true
		if !runExample(eg) {
			ok = false
		}
	}
	return ran, ok
}

// runExample runs one example with its standard output captured and
// compares that with the output it promises.
func runExample(eg InternalExample) bool {
	if Verbose() {
		fmt.Printf("=== RUN   %s\n", eg.Name)
	}
	start := nanotime()
	finished := false
	passed := true
	func() {
		captureStart()
		defer func() {
			got := captureEnd()
			recovered := recover()
			passed = exampleResult(eg, got, nanotime()-start, finished, recovered)
		}()
		eg.F()
		finished = true
	}()
	return passed
}

func exampleResult(eg InternalExample, stdout string, spent int64, finished bool, recovered any) bool {
	passed := true
	var fail string
	got := strings.TrimSpace(stdout)
	want := strings.TrimSpace(eg.Output)
	if eg.Unordered {
		if sortLines(got) != sortLines(want) && recovered == nil {
			fail = fmt.Sprintf("got:\n%s\nwant (unordered):\n%s\n", stdout, eg.Output)
		}
	} else if got != want && recovered == nil {
		fail = fmt.Sprintf("got:\n%s\nwant:\n%s\n", got, want)
	}
	if fail != "" || !finished || recovered != nil {
		fmt.Printf("--- FAIL: %s (%s)\n%s", eg.Name, fmtDuration(spent), fail)
		passed = false
	} else if Verbose() {
		fmt.Printf("--- PASS: %s (%s)\n", eg.Name, fmtDuration(spent))
	}
	if recovered != nil {
		panic(recovered)
	}
	if !finished {
		panic(errNilPanicOrGoexit)
	}
	return passed
}

// sortLines sorts the lines of s (insertion sort: outputs are short).
func sortLines(s string) string {
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && lines[j] < lines[j-1]; j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
	return strings.Join(lines, "\n")
}

// ---- -test.run: Go's matcher, over a small regexp engine ----

// matcher holds the compiled -test.run pattern: alternatives of
// `/`-separated element patterns, each element matching one level of a
// test's name (nil: every test runs), and the subtest names given so far.
type matcher struct {
	filter   [][]*matchre.Regexp
	subNames map[string]int
}

// compileMatcher splits the pattern as Go does (at `/` and `|` outside
// brackets and parentheses) and compiles each element; the error is ""
// when the pattern is valid.
func compileMatcher(pattern string) (*matcher, string) {
	m := &matcher{subNames: map[string]int{}}
	if pattern == "" {
		return m, ""
	}
	for _, alternative := range splitPattern(pattern) {
		var elements []*matchre.Regexp
		for _, element := range alternative {
			re, err := matchre.Compile(rewrite(element))
			if err != "" {
				return m, err
			}
			elements = append(elements, re)
		}
		m.filter = append(m.filter, elements)
	}
	return m, ""
}

func splitPattern(s string) [][]string {
	var alternatives [][]string
	var elements []string
	brackets, parens := 0, 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '[':
			brackets++
		case ']':
			if brackets--; brackets < 0 {
				brackets = 0
			}
		case '(':
			if brackets == 0 {
				parens++
			}
		case ')':
			if brackets == 0 {
				parens--
			}
		case '\\':
			i++
		case '/', '|':
			if brackets == 0 && parens == 0 {
				elements = append(elements, s[:i])
				if s[i] == '|' {
					alternatives = append(alternatives, elements)
					elements = nil
				}
				s = s[i+1:]
				i = 0
				continue
			}
		}
		i++
	}
	elements = append(elements, s)
	return append(alternatives, elements)
}

// fullName gives a subtest its unique name (spaces as underscores, `#01`
// for a repeated one) and reports whether the pattern selects it.
func (m *matcher) fullName(c *common, subname string) (string, bool) {
	name := subname
	if c != nil && c.level > 0 {
		name = m.unique(c.name, rewrite(subname))
	}
	if m.filter == nil {
		return name, true
	}
	elements := strings.Split(name, "/")
	for _, alternative := range m.filter {
		ok := true
		for i, element := range elements {
			if i >= len(alternative) {
				break
			}
			if !alternative[i].MatchString(element) {
				ok = false
				break
			}
		}
		if ok {
			return name, true
		}
	}
	return name, false
}

func (m *matcher) unique(parent, subname string) string {
	base := parent + "/" + subname
	for {
		n := m.subNames[base]
		m.subNames[base] = n + 1
		if n == 0 && subname != "" {
			prefix, nn := parseSubtestNumber(base)
			if len(prefix) < len(base) && nn < m.subNames[prefix] {
				continue
			}
			return base
		}
		name := fmt.Sprintf("%s#%02d", base, n)
		if m.subNames[name] != 0 {
			continue
		}
		return name
	}
}

// parseSubtestNumber splits "name#NN" into "name" and NN; s itself and -1
// when it has no such suffix.
func parseSubtestNumber(s string) (string, int) {
	i := strings.LastIndex(s, "#")
	if i < 0 || i == len(s)-1 {
		return s, -1
	}
	n := 0
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' || n > 1e8 {
			return s, -1
		}
		n = n*10 + int(c-'0')
	}
	return s[:i], n
}

// rewrite spells a subtest name as Go does: spaces become underscores and
// unprintable characters their escapes.
func rewrite(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case isSpace(r):
			b.WriteByte('_')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			q := fmt.Sprintf("%q", r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isSpace(r rune) bool {
	if r < 0x2000 {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0, 0x1680:
			return true
		}
		return false
	}
	if r <= 0x200a {
		return true
	}
	switch r {
	case 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return false
}

// ---- benchmarks (-test.bench) ----

// ResetTimer zeroes the elapsed benchmark time.
func (b *B) ResetTimer() {
	if b.timerOn {
		b.startTime = nanotime()
	}
	b.elapsed = 0
}

// StartTimer starts timing a benchmark (it starts on its own).
func (b *B) StartTimer() {
	if !b.timerOn {
		b.startTime = nanotime()
		b.timerOn = true
	}
}

// StopTimer stops timing a benchmark.
func (b *B) StopTimer() {
	if b.timerOn {
		b.elapsed += nanotime() - b.startTime
		b.timerOn = false
	}
}

// ReportAllocs asks for allocation counts, which g2n does not keep.
func (b *B) ReportAllocs() {
	b.showAllocs = true
}

// SetBytes records the number of bytes processed in one operation.
func (b *B) SetBytes(n int64) {
	b.bytes = n
}

// ReportMetric is accepted and not printed (g2n reports ns/op only).
func (b *B) ReportMetric(n float64, unit string) {}

// runN runs the benchmark function once with b.N = n on a goroutine of
// its own (so FailNow and SkipNow end only it).
func (b *B) runN(n int) {
	b.N = n
	b.finished = false
	b.elapsed = 0
	b.timerOn = false
	done := make(chan bool, 1)
	go func() {
		defer func() {
			done <- true
		}()
		b.StartTimer()
		b.benchFunc(b)
		b.StopTimer()
		b.finished = true
	}()
	<-done
}

// Run benchmarks f as a sub-benchmark of b called name.
func (b *B) Run(name string, f func(b *B)) bool {
	b.hasSub = true
	sub := &B{benchFunc: f}
	sub.name = b.name + "/" + rewrite(name)
	sub.parent = &b.common
	sub.level = b.level + 1
	sub.w = stdout{}
	sub.chatty = b.chatty
	return sub.benchmark()
}

// benchmark runs b.N = 1, then, unless it has sub-benchmarks, grows N
// until the run takes a second, and prints the result line.
func (b *B) benchmark() bool {
	b.runN(1)
	if b.failed || b.skipped {
		b.reportBench(false)
		return !b.failed
	}
	if b.hasSub {
		return !b.failed
	}
	pad := ""
	if b.nameWidth > len(b.name) {
		pad = strings.Repeat(" ", b.nameWidth-len(b.name))
	}
	fmt.Print(b.name + pad + "\t")
	b.grow()
	b.reportBench(true)
	return !b.failed
}

// grow runs the benchmark with a growing b.N, from the N of its last run,
// until a run takes a second (or N reaches 1e9, or it fails).
func (b *B) grow() {
	n := b.N
	for b.elapsed < 1e9 && n < 1e9 && !b.failed {
		last := n
		perOp := b.elapsed / int64(n)
		if perOp <= 0 {
			perOp = 1
		}
		next := int(1e9 / perOp * 6 / 5)
		if next > 100*last {
			next = 100 * last
		}
		if next <= last {
			next = last + 1
		}
		if next > 1e9 {
			next = 1e9
		}
		n = next
		b.runN(n)
	}
}

func (b *B) reportBench(measured bool) {
	if measured && !b.failed {
		line := fmt.Sprintf("%8d\t%s", b.N, prettyPrint(float64(b.elapsed)/float64(b.N), "ns/op"))
		if b.bytes > 0 && b.elapsed > 0 {
			line += fmt.Sprintf("\t%7.2f MB/s", float64(b.bytes)*float64(b.N)/1e6/(float64(b.elapsed)/1e9))
		}
		fmt.Println(line)
	}
	if b.failed {
		b.w.write(fmt.Sprintf("--- FAIL: %s\n%s", b.name, string(b.output)))
	} else if b.skipped && b.chatty != nil {
		b.w.write(fmt.Sprintf("--- SKIP: %s\n%s", b.name, string(b.output)))
	} else if len(b.output) > 0 {
		b.w.write(fmt.Sprintf("--- BENCH: %s\n%s", b.name, string(b.output)))
	}
	b.output = b.output[:0]
}

// prettyPrint formats a per-op measure with the precision Go gives it.
func prettyPrint(x float64, unit string) string {
	y := x
	if y < 0 {
		y = -y
	}
	switch {
	case y == 0 || y >= 999.95:
		return fmt.Sprintf("%10.0f %s", x, unit)
	case y >= 99.995:
		return fmt.Sprintf("%12.1f %s", x, unit)
	case y >= 9.9995:
		return fmt.Sprintf("%13.2f %s", x, unit)
	case y >= 0.99995:
		return fmt.Sprintf("%14.3f %s", x, unit)
	case y >= 0.099995:
		return fmt.Sprintf("%15.4f %s", x, unit)
	case y >= 0.0099995:
		return fmt.Sprintf("%16.5f %s", x, unit)
	case y >= 0.00099995:
		return fmt.Sprintf("%17.6f %s", x, unit)
	}
	return fmt.Sprintf("%18.7f %s", x, unit)
}

// importPath names the package under test in the benchmarks' header.
var importPath = ""

// runBenchmarks runs the benchmarks -test.bench selects, one at a time (g2n
// runs goroutines on one thread: GOMAXPROCS is 1, so names carry no -N),
// after Go's header lines (without its cpu line).
func runBenchmarks(benchmarks []InternalBenchmark) bool {
	if benchPattern == "" {
		return true
	}
	match, err := compileMatcher(benchPattern)
	if err != "" {
		fmt.Fprintf(os.Stderr, "testing: invalid regexp for -test.bench: %s\n", err)
		return false
	}
	var selected []InternalBenchmark
	maxLen := 0
	for _, bench := range benchmarks {
		if _, matched := match.fullName(nil, bench.Name); matched {
			selected = append(selected, bench)
			if len(bench.Name) > maxLen {
				maxLen = len(bench.Name)
			}
		}
	}
	if len(selected) > 0 {
		fmt.Printf("goos: linux\ngoarch: amd64\npkg: %s\n", importPath)
	}
	ok := true
	for _, bench := range selected {
		b := &B{benchFunc: bench.F, nameWidth: maxLen}
		b.name = bench.Name
		b.level = 1
		b.w = stdout{}
		if Verbose() {
			b.chatty = &chattyPrinter{}
		}
		if !b.benchmark() {
			ok = false
		}
	}
	return ok
}
