// Formatter: the operands whose own Format method prints them (math/big's
// Int and Float). The runtime's formatting (crates/runtime/src/fmt) prints
// every other value; when an operand has a Format method, the functions of
// fmt.go come here first, as Go's handleMethods calls Format before Error
// and String.
package fmt

import (
	"internal/typedesc"
	"unsafe"
)

// State is what a Format method is given: it writes there, and reads the
// directive's flags, width and precision.
type State interface {
	Write(b []byte) (n int, err error)
	Width() (wid int, ok bool)
	Precision() (prec int, ok bool)
	Flag(c int) bool
}

// Formatter is implemented by any value that has a Format method, which
// fmt calls for every verb but %T and %p.
type Formatter interface {
	Format(f State, verb rune)
}

// GoStringer is implemented by any value that has a GoString method, which
// defines the Go syntax for that value (%#v).
type GoStringer interface {
	GoString() string
}

// state is the State of one directive.
type state struct {
	buf                            []byte
	wid, prec                      int
	widOK, precOK                  bool
	minus, plus, sharp, space, zero bool
}

func (s *state) Write(b []byte) (int, error) {
	s.buf = append(s.buf, b...)
	return len(b), nil
}

func (s *state) WriteString(text string) (int, error) {
	s.buf = append(s.buf, text...)
	return len(text), nil
}

func (s *state) Width() (int, bool) { return s.wid, s.widOK }

func (s *state) Precision() (int, bool) { return s.prec, s.precOK }

func (s *state) Flag(c int) bool {
	switch c {
	case '-':
		return s.minus
	case '+':
		return s.plus
	case '#':
		return s.sharp
	case ' ':
		return s.space
	case '0':
		return s.zero
	}
	return false
}

// hasFormatter reports whether an operand has a Format method.
func hasFormatter(a []any) bool {
	for _, x := range a {
		if _, ok := x.(Formatter); ok {
			return true
		}
	}
	return false
}

// formattedText is what a Format method wrote for %v, printed as itself.
// It is a struct, not a string, so that Print still puts spaces between it
// and other operands that are not strings, as it does between the values
// it replaces.
type formattedText struct {
	text string
}

func (t formattedText) String() string { return t.text }

// formatted is a's operands with each Formatter replaced by what its Format
// method writes for %v (Print, Println).
func formatted(a []any) []any {
	out := make([]any, len(a))
	for i, x := range a {
		if f, ok := x.(Formatter); ok {
			s := &state{}
			f.Format(s, 'v')
			out[i] = formattedText{string(s.buf)}
		} else {
			out[i] = x
		}
	}
	return out
}

// sprintfFormatters is Sprintf when an operand has a Format method: Go's
// doPrintf's walk of the format, which calls Format for a directive whose
// operand has one and hands every other directive, with the operands it
// takes, to the runtime.
func sprintfFormatters(format string, a []any) string {
	var out []byte
	end := len(format)
	argNum := 0
	afterIndex := false
	reordered := false
	for i := 0; i < end; {
		goodArgNum := true
		lasti := i
		for i < end && format[i] != '%' {
			i++
		}
		out = append(out, format[lasti:i]...)
		if i >= end {
			break
		}
		start := i
		argStart := argNum
		i++
		s := &state{}
	flags:
		for ; i < end; i++ {
			switch format[i] {
			case '#':
				s.sharp = true
			case '0':
				s.zero = !s.minus
			case '+':
				s.plus = true
			case '-':
				s.minus = true
				s.zero = false
			case ' ':
				s.space = true
			default:
				break flags
			}
		}
		var bad string
		var found, ok bool
		argNum, i, found, ok = argNumber(argNum, format, i, len(a))
		reordered = reordered || found
		goodArgNum = goodArgNum && ok
		afterIndex = found
		if i < end && format[i] == '*' {
			i++
			s.wid, s.widOK, argNum = intFromArg(a, argNum)
			if !s.widOK {
				bad += "%!(BADWIDTH)"
			}
			if s.wid < 0 {
				s.wid = -s.wid
				s.minus = true
				s.zero = false
			}
			afterIndex = false
		} else {
			s.wid, s.widOK, i = parsenum(format, i, end)
			if afterIndex && s.widOK {
				goodArgNum = false
			}
		}
		if i+1 < end && format[i] == '.' {
			i++
			if afterIndex {
				goodArgNum = false
			}
			argNum, i, found, ok = argNumber(argNum, format, i, len(a))
			reordered = reordered || found
			goodArgNum = goodArgNum && ok
			afterIndex = found
			if i < end && format[i] == '*' {
				i++
				s.prec, s.precOK, argNum = intFromArg(a, argNum)
				if s.prec < 0 {
					s.prec = 0
					s.precOK = false
				}
				if !s.precOK {
					bad += "%!(BADPREC)"
				}
				afterIndex = false
			} else {
				s.prec, s.precOK, i = parsenum(format, i, end)
				if !s.precOK {
					s.prec = 0
					s.precOK = true
				}
			}
		}
		if !afterIndex {
			argNum, i, found, ok = argNumber(argNum, format, i, len(a))
			reordered = reordered || found
			goodArgNum = goodArgNum && ok
		}
		if i >= end {
			out = append(out, runtimeSprintf(format[start:], operands(a, format[start:], argStart, argNum)...)...)
			break
		}
		verb, size := rune(format[i]), 1
		if verb >= 0x80 {
			// The rune and its length, as utf8.DecodeRuneInString gives them.
			size = end - i
			for j, r := range format[i:] {
				if j > 0 {
					size = j
					break
				}
				verb = r
			}
		}
		i += size
		if verb != '%' && verb != 'T' && verb != 'p' && goodArgNum && argNum < len(a) {
			if f, isFormatter := a[argNum].(Formatter); isFormatter {
				out = append(out, bad...)
				f.Format(s, verb)
				out = append(out, s.buf...)
				argNum++
				continue
			}
		}
		if verb != '%' && goodArgNum && argNum < len(a) {
			argNum++
		}
		piece := format[start:i]
		out = append(out, runtimeSprintf(piece, operands(a, piece, argStart, argNum)...)...)
	}
	if !reordered && argNum < len(a) {
		out = append(out, runtimeSprintf("", a[argNum:]...)...)
	}
	return string(out)
}

// operands are the operands the runtime is given with one directive: all of
// them when it names one by index, else those it takes, from the first.
func operands(a []any, directive string, from, to int) []any {
	for i := 0; i < len(directive); i++ {
		if directive[i] == '[' {
			return a
		}
	}
	if from > len(a) {
		from = len(a)
	}
	if to > len(a) {
		to = len(a)
	}
	return a[from:to]
}

// argNumber is Go's: the operand an explicit index `[n]` at format[i]
// names, whether there was one, and whether it is good.
func argNumber(argNum int, format string, i int, numArgs int) (newArgNum, newi int, found, ok bool) {
	if len(format) <= i || format[i] != '[' {
		return argNum, i, false, true
	}
	index, wid, good := parseArgNumber(format[i:])
	if good && 0 <= index && index < numArgs {
		return index, i + wid, true, true
	}
	return argNum, i + wid, good, false
}

func parseArgNumber(format string) (index int, wid int, ok bool) {
	if len(format) < 3 {
		return 0, 1, false
	}
	for i := 1; i < len(format); i++ {
		if format[i] == ']' {
			width, isNum, newi := parsenum(format, 1, i)
			if !isNum || newi != i {
				return 0, i + 1, false
			}
			return width - 1, i + 1, true
		}
	}
	return 0, 1, false
}

// parsenum is Go's: the decimal number at s[start:end], if any.
func parsenum(s string, start, end int) (num int, isnum bool, newi int) {
	if start >= end {
		return 0, false, end
	}
	for newi = start; newi < end && '0' <= s[newi] && s[newi] <= '9'; newi++ {
		if num > 1e6 || num < -1e6 {
			return 0, false, end
		}
		num = num*10 + int(s[newi]-'0')
		isnum = true
	}
	return
}

// intFromArg is Go's: the operand for a `*` width or precision, which must
// be an integer.
func intFromArg(a []any, argNum int) (num int, isInt bool, newArgNum int) {
	newArgNum = argNum
	if argNum < len(a) {
		num, isInt = intOperand(a[argNum])
		newArgNum = argNum + 1
		if num > 1e6 || num < -1e6 {
			num = 0
			isInt = false
		}
	}
	return
}

// intOperand is the value of an operand of any integer kind (of a defined
// type too, which Go's fmt reaches through reflect) when an int holds it.
func intOperand(x any) (int, bool) {
	words := (*[3]uintptr)(unsafe.Pointer(&x))
	t := typedesc.OfTag(words[0])
	if t == nil {
		return 0, false
	}
	// The payload word holds an integer's bits (g2n_abi::TypeDesc).
	w := words[1]
	switch t.Kind {
	case typedesc.Int, typedesc.Int64:
		return int(w), true
	case typedesc.Int8:
		return int(int8(w)), true
	case typedesc.Int16:
		return int(int16(w)), true
	case typedesc.Int32:
		return int(int32(w)), true
	case typedesc.Uint8:
		return int(uint8(w)), true
	case typedesc.Uint16:
		return int(uint16(w)), true
	case typedesc.Uint32:
		return int(uint32(w)), true
	case typedesc.Uint, typedesc.Uint64, typedesc.Uintptr:
		return int(w), int(w) >= 0
	}
	return 0, false
}
