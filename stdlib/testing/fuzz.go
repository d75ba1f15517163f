package testing

// Fuzz tests (FuzzXxx(*testing.F)) as `go test` runs them without -fuzz:
// the fuzz function runs once per entry of the seed corpus, the values
// given to F.Add and then the files of testdata/fuzz/FuzzXxx in Go's corpus
// encoding ("go test fuzz v1"), each as a subtest named FuzzXxx/seed#N or
// FuzzXxx/FILE. g2n has no fuzzing engine (no -fuzz).
//
// Calling the fuzz function needs reflect (its parameters are known only
// at run time), which this package does not import: every test binary
// would then load reflect and carry its call adapters
// (docs/stdlib.md, "reflect"). The generated main of a package that has
// fuzz tests imports reflect and hands MainStart a fuzzFuncOf.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// InternalFuzzTarget is a Fuzz function with its name (for the generated
// main).
type InternalFuzzTarget struct {
	Name string
	Fn   func(f *F)
}

// fuzzFuncOf describes a fuzz function ff: the spellings of its parameter
// types (`*testing.T`, `[]uint8`, `int` …), its number of results, and a
// function that calls it with args; ok is false when ff is not a function.
type fuzzFuncOf func(ff any) (params []string, results int, call func(args []any), ok bool)

// F is a fuzz test's state, passed to Fuzz functions. *F methods may be
// called only before F.Fuzz; inside the fuzz function, use its *T.
type F struct {
	common
	context  *testContext
	fuzzFunc fuzzFuncOf
	// inFuzzFn: the fuzz function is running (F.Fail, F.Helper and
	// F.Skipped then panic, as in Go).
	inFuzzFn   bool
	corpus     []corpusEntry
	fuzzCalled bool
}

var _ TB = (*F)(nil)

// corpusEntry is one input of the seed corpus: its name (seed#N for an
// F.Add, the file's path for a file) and its values.
type corpusEntry struct {
	path   string
	values []any
}

// corpusDir holds each fuzz test's seed corpus files, under its name.
const corpusDir = "testdata/fuzz"

// Helper marks the calling function as a test helper function.
func (f *F) Helper() {
	if f.inFuzzFn {
		panic("testing: f.Helper was called inside the fuzz target, use t.Helper instead")
	}
	f.common.Helper()
}

// Fail marks the fuzz test as having failed but continues execution.
func (f *F) Fail() {
	if f.inFuzzFn {
		panic("testing: f.Fail was called inside the fuzz target, use t.Fail instead")
	}
	f.common.Fail()
}

// Skipped reports whether the fuzz test was skipped.
func (f *F) Skipped() bool {
	if f.inFuzzFn {
		panic("testing: f.Skipped was called inside the fuzz target, use t.Skipped instead")
	}
	return f.common.Skipped()
}

// supportedTypes: the spellings of the types a fuzz function may take.
var supportedTypes = map[string]bool{
	"[]uint8": true, "string": true, "bool": true, "uint8": true, "int32": true,
	"float32": true, "float64": true,
	"int": true, "int8": true, "int16": true, "int64": true,
	"uint": true, "uint16": true, "uint32": true, "uint64": true,
}

// typeName is the spelling of v's dynamic type, as reflect.Type's String
// gives it ("<nil>" for nil).
func typeName(v any) string {
	return fmt.Sprintf("%T", v)
}

// Add adds the arguments to the seed corpus of the fuzz test; they must
// match the fuzz function's parameters after its *T.
func (f *F) Add(args ...any) {
	var values []any
	for _, arg := range args {
		if t := typeName(arg); !supportedTypes[t] {
			panic(fmt.Sprintf("testing: unsupported type to Add %v", t))
		}
		values = append(values, arg)
	}
	f.corpus = append(f.corpus, corpusEntry{path: fmt.Sprintf("seed#%d", len(f.corpus)), values: values})
}

// Fuzz runs the fuzz function ff, a func(*testing.T, ...) with no results,
// on each entry of the seed corpus whose name -test.run selects.
func (f *F) Fuzz(ff any) {
	if f.fuzzCalled {
		panic("testing: F.Fuzz called more than once")
	}
	f.fuzzCalled = true
	if f.failed {
		return
	}
	// (Go's marks F.Fuzz a helper here, so that its own messages name the
	// line of the call; g2n's skip testing's frames anyway.)
	if f.fuzzFunc == nil {
		panic("testing: F.Fuzz needs the main that g2n test generates")
	}
	params, results, call, ok := f.fuzzFunc(ff)
	if !ok {
		panic("testing: F.Fuzz must receive a function")
	}
	if len(params) < 2 || params[0] != "*testing.T" {
		panic("testing: fuzz target must receive at least two arguments, where the first argument is a *T")
	}
	if results != 0 {
		panic("testing: fuzz target must not return a value")
	}
	types := params[1:]
	for _, t := range types {
		if !supportedTypes[t] {
			panic(fmt.Sprintf("testing: unsupported type for fuzzing %v", t))
		}
	}
	for _, c := range f.corpus {
		if err := checkCorpus(c.values, types); err != nil {
			f.Fatal(err)
		}
	}
	files, err := readCorpus(corpusDir+"/"+f.name, types)
	if err != nil {
		f.Fatal(err)
	}
	f.corpus = append(f.corpus, files...)
	for _, e := range f.corpus {
		base := e.path
		if i := strings.LastIndex(base, "/"); i >= 0 {
			base = base[i+1:]
		}
		name := f.name + "/" + base
		if _, ok := f.context.match.fullName(nil, name); ok {
			f.runEntry(name, e, call)
		}
	}
}

// runEntry runs the fuzz function on one corpus entry as a subtest of the
// fuzz test, on a goroutine of its own, and waits for it.
func (f *F) runEntry(name string, e corpusEntry, call func(args []any)) {
	t := &T{context: f.context}
	t.signal = make(chan bool, 1)
	t.name = name
	t.parent = &f.common
	t.level = f.level + 1
	t.chatty = f.chatty
	t.creator = stack()
	t.w = indenter{&t.common}
	if t.chatty != nil {
		t.chatty.updatef(t.name, fmt.Sprintf("=== RUN   %s\n", t.name))
	}
	f.inFuzzFn = true
	go tRunner(t, func(t *T) {
		call(append([]any{t}, e.values...))
	})
	<-t.signal
	f.inFuzzFn = false
}

// fRunner runs fuzz test f on the goroutine runFuzzTests started and
// signals when it is done. A fuzz test must call F.Fuzz, F.Fail or F.Skip.
func fRunner(f *F, fn func(*F)) {
	defer func() {
		err := recover()
		if err == nil {
			fuzzNotCalled := !f.fuzzCalled && !f.skipped && !f.failed
			if !f.finished && !f.skipped && !f.failed {
				err = errNilPanicOrGoexit
			}
			if fuzzNotCalled && err == nil {
				f.Error("returned without calling F.Fuzz, F.Fail, or F.Skip")
			}
		}
		if err != nil {
			// A panic: report every test up to the top as failed, then let
			// the panic end the program, as Go does.
			f.common.Fail()
			f.runCleanup()
			f.common.reportPanicking()
			panic(err)
		}
		f.duration += nanotime() - f.start
		f.runCleanup()
		f.report()
		f.done = true
		f.setRan()
		f.signal <- true
	}()
	f.start = nanotime()
	fn(f)
	f.finished = true
}

// runFuzzTests runs the fuzz tests -test.run selects, each on its seed
// corpus, after the tests (as Go's M.Run does).
func runFuzzTests(targets []InternalFuzzTarget, fuzzFunc fuzzFuncOf) (ran, ok bool) {
	if len(targets) == 0 {
		return false, true
	}
	match, _ := compileMatcher(runPattern)
	context := &testContext{match: match}
	root := &common{w: stdout{}}
	if Verbose() {
		root.chatty = &chattyPrinter{}
	}
	for _, target := range targets {
		name, matched := match.fullName(nil, target.Name)
		if !matched {
			continue
		}
		f := &F{context: context, fuzzFunc: fuzzFunc}
		f.signal = make(chan bool, 1)
		f.name = name
		f.parent = root
		f.level = root.level + 1
		f.chatty = root.chatty
		f.w = indenter{&f.common}
		if f.chatty != nil {
			f.chatty.updatef(f.name, fmt.Sprintf("=== RUN   %s\n", f.name))
		}
		go fRunner(f, target.Fn)
		<-f.signal
	}
	return root.ran, !root.failed
}

// ---- the seed corpus ----

// checkCorpus reports whether an entry's values have the fuzz function's
// parameter types, with Go's messages.
func checkCorpus(values []any, types []string) error {
	if len(values) != len(types) {
		return fmt.Errorf("wrong number of values in corpus entry: %d, want %d", len(values), len(types))
	}
	got := make([]string, len(values))
	for i, v := range values {
		got[i] = typeName(v)
	}
	for i := range types {
		if got[i] != types[i] {
			return fmt.Errorf("mismatched types in corpus entry: %v, want %v", got, types)
		}
	}
	return nil
}

// readCorpus reads the corpus files of dir (none when it does not exist),
// in name order. A malformed file is an error naming it; the others are
// still returned.
func readCorpus(dir string, types []string) ([]corpusEntry, error) {
	files, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading seed corpus from testdata: %v", err)
	}
	var corpus []corpusEntry
	var errs []string
	for _, file := range files {
		if file.IsDir() {
			continue
		}
		filename := dir + "/" + file.Name()
		data, err := os.ReadFile(filename)
		if err != nil {
			return nil, fmt.Errorf("failed to read corpus file: %v", err)
		}
		values, err := unmarshalCorpus(data)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%q: unmarshal: %v", filename, err))
			continue
		}
		if err := checkCorpus(values, types); err != nil {
			errs = append(errs, fmt.Sprintf("%q: %v", filename, err))
			continue
		}
		corpus = append(corpus, corpusEntry{path: filename, values: values})
	}
	if len(errs) > 0 {
		return corpus, errors.New(strings.Join(errs, "\n"))
	}
	return corpus, nil
}

// corpusVersion is the first line of a corpus file.
const corpusVersion = "go test fuzz v1"

// unmarshalCorpus decodes a corpus file: the version line, then one value
// a line, written as a conversion of a literal (`[]byte("…")`, `int(-3)`,
// `rune('x')`, `float64(+Inf)`, `math.Float64frombits(0x7ff8…)`).
func unmarshalCorpus(b []byte) ([]any, error) {
	if len(b) == 0 {
		return nil, errors.New("cannot unmarshal empty string")
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 2 {
		return nil, errors.New("must include version and at least one value")
	}
	if version := strings.TrimSuffix(lines[0], "\r"); version != corpusVersion {
		return nil, fmt.Errorf("unknown encoding version: %s", version)
	}
	var values []any
	for _, line := range lines[1:] {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := parseCorpusValue(line)
		if err != nil {
			return nil, fmt.Errorf("malformed line %q: %v", line, err)
		}
		values = append(values, v)
	}
	return values, nil
}

// The kinds of literal a corpus value may convert.
const (
	litInvalid = iota
	litIdent
	litInt
	litFloat
	litImag
	litChar
	litString
)

// literalKind classifies a Go literal (or identifier) by its first
// characters, as Go's scanner would.
func literalKind(s string) int {
	if s == "" {
		return litInvalid
	}
	c := s[0]
	switch {
	case c == '"' || c == '`':
		return litString
	case c == '\'':
		return litChar
	case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		for i := 1; i < len(s); i++ {
			d := s[i]
			if !(d == '_' || 'a' <= d && d <= 'z' || 'A' <= d && d <= 'Z' || '0' <= d && d <= '9') {
				return litInvalid
			}
		}
		return litIdent
	case '0' <= c && c <= '9' || c == '.':
		if strings.HasSuffix(s, "i") {
			return litImag
		}
		lower := strings.ToLower(s)
		if strings.HasPrefix(lower, "0x") {
			if strings.ContainsAny(lower, ".p") {
				return litFloat
			}
			return litInt
		}
		if strings.ContainsAny(lower, ".e") {
			return litFloat
		}
		return litInt
	}
	return litInvalid
}

// parseCorpusValue decodes one line of a corpus file, with the errors of
// Go's decoder where the line is well formed Go.
func parseCorpusValue(line string) (any, error) {
	open := strings.Index(line, "(")
	if open < 0 || !strings.HasSuffix(line, ")") {
		return nil, errors.New("expected call expression")
	}
	typ := strings.TrimSpace(line[:open])
	arg := strings.TrimSpace(line[open+1 : len(line)-1])
	if arg == "" {
		return nil, errors.New("expected call expression with 1 argument; got 0")
	}
	if strings.HasPrefix(typ, "[") {
		if !strings.HasPrefix(typ, "[]") {
			return nil, errors.New("expected []byte or primitive type")
		}
		if strings.TrimSpace(typ[2:]) != "byte" {
			return nil, errors.New("expected []byte")
		}
		if literalKind(arg) != litString {
			return nil, errors.New("string literal required for type []byte")
		}
		s, err := strconv.Unquote(arg)
		if err != nil {
			return nil, err
		}
		return []byte(s), nil
	}
	if dot := strings.Index(typ, "."); dot >= 0 {
		if strings.TrimSpace(typ[:dot]) != "math" {
			return nil, errors.New("invalid selector type")
		}
		switch strings.TrimSpace(typ[dot+1:]) {
		case "Float64frombits":
			typ = "float64-bits"
		case "Float32frombits":
			typ = "float32-bits"
		default:
			return nil, errors.New("invalid selector type")
		}
	} else if typ == "bool" {
		if literalKind(arg) != litIdent {
			return nil, errors.New("malformed bool")
		}
		switch arg {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, errors.New("true or false required for type bool")
	}
	val, kind := arg, literalKind(arg)
	if arg[0] == '-' || arg[0] == '+' {
		rest := strings.TrimSpace(arg[1:])
		switch literalKind(rest) {
		case litIdent:
			if rest != "Inf" {
				return nil, errors.New("expected operation on int or float type")
			}
			val, kind = arg[:1]+"Inf", litFloat
		case litInvalid:
			return nil, errors.New("expected operation on int or float type")
		default:
			if arg[0] == '+' {
				return nil, fmt.Errorf("unsupported operation on int/float: %v", "+")
			}
			val, kind = "-"+rest, literalKind(rest)
		}
	} else if kind == litIdent {
		if arg != "NaN" {
			return nil, errors.New("literal value required for primitive type")
		}
		kind = litFloat
	} else if kind == litInvalid {
		return nil, errors.New("literal value required for primitive type")
	}
	switch typ {
	case "string":
		if kind != litString {
			return nil, errors.New("string literal value required for type string")
		}
		s, err := strconv.Unquote(val)
		return s, err
	case "byte", "rune":
		if kind == litInt {
			if typ == "rune" {
				return parseInt(val, typ)
			}
			return parseUint(val, typ)
		}
		if kind != litChar {
			return nil, errors.New("character literal required for byte/rune types")
		}
		n := len(val)
		if n < 2 {
			return nil, errors.New("malformed character literal, missing single quotes")
		}
		code, _, _, err := strconv.UnquoteChar(val[1:n-1], '\'')
		if err != nil {
			return nil, err
		}
		if typ == "rune" {
			return code, nil
		}
		if code >= 256 {
			return nil, errors.New("can only encode single byte to a byte type")
		}
		return byte(code), nil
	case "int", "int8", "int16", "int32", "int64":
		if kind != litInt {
			return nil, errors.New("integer literal required for int types")
		}
		return parseInt(val, typ)
	case "uint", "uint8", "uint16", "uint32", "uint64":
		if kind != litInt {
			return nil, errors.New("integer literal required for uint types")
		}
		return parseUint(val, typ)
	case "float32":
		if kind != litFloat && kind != litInt {
			return nil, errors.New("float or integer literal required for float32 type")
		}
		v, err := strconv.ParseFloat(val, 32)
		return float32(v), err
	case "float64":
		if kind != litFloat && kind != litInt {
			return nil, errors.New("float or integer literal required for float64 type")
		}
		v, err := strconv.ParseFloat(val, 64)
		return v, err
	case "float32-bits":
		if kind != litInt {
			return nil, errors.New("integer literal required for math.Float32frombits type")
		}
		bits, err := parseUint(val, "uint32")
		if err != nil {
			return nil, err
		}
		return math.Float32frombits(bits.(uint32)), nil
	case "float64-bits":
		if kind != litFloat && kind != litInt {
			return nil, errors.New("integer literal required for math.Float64frombits type")
		}
		bits, err := parseUint(val, "uint64")
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(bits.(uint64)), nil
	}
	return nil, errors.New("expected []byte or primitive type")
}

// parseInt is the signed integer of type typ that val spells (any base
// Go's literals have).
func parseInt(val, typ string) (any, error) {
	switch typ {
	case "int8":
		i, err := strconv.ParseInt(val, 0, 8)
		return int8(i), err
	case "int16":
		i, err := strconv.ParseInt(val, 0, 16)
		return int16(i), err
	case "int32", "rune":
		i, err := strconv.ParseInt(val, 0, 32)
		return int32(i), err
	case "int64":
		i, err := strconv.ParseInt(val, 0, 64)
		return i, err
	}
	i, err := strconv.ParseInt(val, 0, 64)
	return int(i), err
}

// parseUint is the unsigned integer of type typ that val spells.
func parseUint(val, typ string) (any, error) {
	switch typ {
	case "uint8", "byte":
		i, err := strconv.ParseUint(val, 0, 8)
		return uint8(i), err
	case "uint16":
		i, err := strconv.ParseUint(val, 0, 16)
		return uint16(i), err
	case "uint32":
		i, err := strconv.ParseUint(val, 0, 32)
		return uint32(i), err
	case "uint64":
		i, err := strconv.ParseUint(val, 0, 64)
		return i, err
	}
	i, err := strconv.ParseUint(val, 0, 64)
	return uint(i), err
}
