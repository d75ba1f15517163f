// Scanning, as Go's fmt scans: Scan, Scanln, Scanf (standard input),
// Sscan, Sscanln, Sscanf (a string) and Fscan, Fscanln, Fscanf (an
// io.Reader) into operands that scan themselves (fmt.Scanner: math/big's
// Int, Rat and Float), booleans, integers, floating-point and complex
// numbers, strings and byte slices, with Go's verbs, widths and errors,
// and pointers to defined types of those kinds (`type Celsius float64`,
// which Go reaches through reflect: scanByKind). The numbers are in
// scan_number.go, formats in scan_format.go.
package fmt

import (
	"errors"
	"internal/typedesc"
	"io"
	"unsafe"
)

// ScanState is what a Scan method reads from.
type ScanState interface {
	ReadRune() (r rune, size int, err error)
	UnreadRune() error
	SkipSpace()
	Token(skipSpace bool, f func(rune) bool) (token []byte, err error)
	Width() (wid int, ok bool)
	Read(buf []byte) (n int, err error)
}

// Scanner is implemented by any value that has a Scan method, which scans
// the input for its own representation.
type Scanner interface {
	Scan(state ScanState, verb rune) error
}

// scanError is an error a scan reports, carried by panic to the function
// that started it, as in Go.
type scanError struct {
	err error
}

const eof = -1

// hugeWid is the width of an operand without one.
const hugeWid = 1 << 30

// scanState is one call's scanner over its input.
type scanState struct {
	rs        io.RuneScanner
	buf       []byte
	count     int  // runes consumed so far
	atEOF     bool // already read EOF
	nlIsEnd   bool // a newline ends the input (Scanln, and Scanf's operands)
	nlIsSpace bool // a newline counts as space (Scan)
	argLimit  int  // the count at which this operand's input ends
	limit     int  // the count at which the input ends
	maxWid    int  // the operand's width
}

func newScanState(r io.Reader, nlIsSpace, nlIsEnd bool) *scanState {
	s := &scanState{nlIsSpace: nlIsSpace, nlIsEnd: nlIsEnd, argLimit: hugeWid, limit: hugeWid, maxWid: hugeWid}
	if rs, ok := r.(io.RuneScanner); ok {
		s.rs = rs
	} else {
		s.rs = &readRune{reader: r, peekRune: -1}
	}
	return s
}

func (s *scanState) ReadRune() (r rune, size int, err error) {
	if s.atEOF || s.count >= s.argLimit {
		err = io.EOF
		return
	}
	r, size, err = s.rs.ReadRune()
	if err == nil {
		s.count++
		if s.nlIsEnd && r == '\n' {
			s.atEOF = true
		}
	} else if err == io.EOF {
		s.atEOF = true
	}
	return
}

func (s *scanState) UnreadRune() error {
	s.rs.UnreadRune()
	s.atEOF = false
	s.count--
	return nil
}

func (s *scanState) Width() (wid int, ok bool) {
	if s.maxWid == hugeWid {
		return 0, false
	}
	return s.maxWid, true
}

func (s *scanState) Read(buf []byte) (n int, err error) {
	return 0, errors.New("ScanState's Read should not be called. Use ReadRune")
}

func (s *scanState) errorString(err string) {
	panic(scanError{errors.New(err)})
}

func (s *scanState) error(err error) {
	panic(scanError{err})
}

// getRune is the next rune, eof at the end of the input.
func (s *scanState) getRune() rune {
	r, _, err := s.ReadRune()
	if err != nil {
		if err == io.EOF {
			return eof
		}
		s.error(err)
	}
	return r
}

// mustReadRune is the next rune; the end of the input is an error.
func (s *scanState) mustReadRune() rune {
	r := s.getRune()
	if r == eof {
		s.error(io.ErrUnexpectedEOF)
	}
	return r
}

func (s *scanState) SkipSpace() {
	for {
		r := s.getRune()
		if r == eof {
			return
		}
		if r == '\r' && s.peek("\n") {
			continue
		}
		if r == '\n' {
			if s.nlIsSpace {
				continue
			}
			s.errorString("unexpected newline")
			return
		}
		if !isSpace(r) {
			s.UnreadRune()
			break
		}
	}
}

func (s *scanState) Token(skipSpace bool, f func(rune) bool) (tok []byte, err error) {
	defer func() {
		if e := recover(); e != nil {
			if se, ok := e.(scanError); ok {
				err = se.err
			} else {
				panic(e)
			}
		}
	}()
	if f == nil {
		f = notSpace
	}
	s.buf = s.buf[:0]
	tok = s.token(skipSpace, f)
	return
}

// token reads the runes f accepts into s.buf.
func (s *scanState) token(skipSpace bool, f func(rune) bool) []byte {
	if skipSpace {
		s.SkipSpace()
	}
	for {
		r := s.getRune()
		if r == eof {
			break
		}
		if !f(r) {
			s.UnreadRune()
			break
		}
		s.buf = append(s.buf, string(r)...)
	}
	return s.buf
}

// isSpace is Go's: Unicode's white space, as fmt's scanner knows it.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

func notSpace(r rune) bool { return !isSpace(r) }

// readRune reads runes from a reader that cannot unread (os.Stdin), one
// byte at a time so that it takes no more input than it scans; one rune
// can be unread.
type readRune struct {
	reader   io.Reader
	buf      [4]byte
	pending  int
	pendBuf  [4]byte
	peekRune rune
}

func (r *readRune) readByte() (b byte, err error) {
	if r.pending > 0 {
		b = r.pendBuf[0]
		copy(r.pendBuf[0:], r.pendBuf[1:])
		r.pending--
		return
	}
	n, err := io.ReadFull(r.reader, r.pendBuf[:1])
	if n != 1 {
		return 0, err
	}
	return r.pendBuf[0], err
}

func (r *readRune) ReadRune() (rr rune, size int, err error) {
	if r.peekRune >= 0 {
		rr = r.peekRune
		r.peekRune = ^r.peekRune
		size = runeLen(rr)
		return
	}
	r.buf[0], err = r.readByte()
	if err != nil {
		return
	}
	if r.buf[0] < 0x80 {
		r.peekRune = ^rune(r.buf[0])
		return rune(r.buf[0]), 1, nil
	}
	var n int
	for n = 1; !fullRune(r.buf[:n]); n++ {
		r.buf[n], err = r.readByte()
		if err != nil {
			if err == io.EOF {
				err = nil
				break
			}
			return
		}
	}
	rr, size = decodeRune(r.buf[:n])
	if size < n {
		copy(r.pendBuf[r.pending:], r.buf[size:n])
		r.pending += n - size
	}
	r.peekRune = ^rr
	return
}

func (r *readRune) UnreadRune() error {
	if r.peekRune >= 0 {
		return errors.New("fmt: scanning called UnreadRune with no rune available")
	}
	r.peekRune = ^r.peekRune
	return nil
}

// stdin reads the program's standard input through the runtime, the input
// os.Stdin reads.
type stdin struct{}

func runtimeReadStdinByte() int

func (stdin) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b := runtimeReadStdinByte()
	if b == -1 {
		return 0, io.EOF
	}
	if b < 0 {
		return 0, errors.New("read /dev/stdin: error " + typedesc.Itoa(-2-b))
	}
	p[0] = byte(b)
	return 1, nil
}

// stringReader reads a string (Sscan and friends).
type stringReader struct {
	text string
	pos  int
	last int // size of the rune read last, 0 after UnreadRune
}

func (r *stringReader) ReadRune() (rune, int, error) {
	if r.pos >= len(r.text) {
		r.last = 0
		return 0, 0, io.EOF
	}
	c, size := decodeRune([]byte(r.text[r.pos:min(len(r.text), r.pos+4)]))
	r.pos += size
	r.last = size
	return c, size, nil
}

func (r *stringReader) UnreadRune() error {
	r.pos -= r.last
	r.last = 0
	return nil
}

func (r *stringReader) Read(p []byte) (int, error) {
	if r.pos >= len(r.text) {
		return 0, io.EOF
	}
	n := copy(p, r.text[r.pos:])
	r.pos += n
	return n, nil
}

// Scan scans space-separated values from standard input (newlines count
// as space) into the operands, and returns how many it scanned.
func Scan(a ...any) (n int, err error) { return Fscan(stdin{}, a...) }

// Scanln is Scan that stops at a newline, after which there must be a
// newline or the end of the input.
func Scanln(a ...any) (n int, err error) { return Fscanln(stdin{}, a...) }

// Scanf scans standard input as the format says.
func Scanf(format string, a ...any) (n int, err error) { return Fscanf(stdin{}, format, a...) }

// Sscan scans the space-separated values of str (newlines count as space).
func Sscan(str string, a ...any) (n int, err error) { return Fscan(&stringReader{text: str}, a...) }

// Sscanln is Sscan that stops at a newline.
func Sscanln(str string, a ...any) (n int, err error) {
	return Fscanln(&stringReader{text: str}, a...)
}

// Sscanf scans str as the format says.
func Sscanf(str string, format string, a ...any) (n int, err error) {
	return Fscanf(&stringReader{text: str}, format, a...)
}

// Fscan scans the space-separated values of r (newlines count as space).
func Fscan(r io.Reader, a ...any) (n int, err error) {
	s := newScanState(r, true, false)
	return s.doScan(a)
}

// Fscanln is Fscan that stops at a newline.
func Fscanln(r io.Reader, a ...any) (n int, err error) {
	s := newScanState(r, false, true)
	return s.doScan(a)
}

// Fscanf scans r as the format says.
func Fscanf(r io.Reader, format string, a ...any) (n int, err error) {
	s := newScanState(r, false, false)
	return s.doScanf(format, a)
}

// errorHandler turns a scan's panic into its error.
func errorHandler(errp *error) {
	if e := recover(); e != nil {
		if se, ok := e.(scanError); ok {
			*errp = se.err
		} else if eofErr, ok := e.(error); ok && eofErr == io.EOF {
			*errp = eofErr
		} else {
			panic(e)
		}
	}
}

func (s *scanState) doScan(a []any) (numProcessed int, err error) {
	defer errorHandler(&err)
	for _, arg := range a {
		s.scanOne('v', arg)
		numProcessed++
	}
	if s.nlIsEnd {
		for {
			r := s.getRune()
			if r == '\n' || r == eof {
				break
			}
			if !isSpace(r) {
				s.errorString("expected newline")
				break
			}
		}
	}
	return
}

// notEOF panics with io.EOF at the end of the input.
func (s *scanState) notEOF() {
	if r := s.getRune(); r == eof {
		panic(io.EOF)
	}
	s.UnreadRune()
}

// consume reads the next rune if it is one of ok, keeping it in s.buf
// when accept.
func (s *scanState) consume(ok string, accept bool) bool {
	r := s.getRune()
	if r == eof {
		return false
	}
	if indexRune(ok, r) >= 0 {
		if accept {
			s.buf = append(s.buf, string(r)...)
		}
		return true
	}
	if r != eof && accept {
		s.UnreadRune()
	}
	return false
}

// peek reports whether the next rune is one of ok, leaving it unread.
func (s *scanState) peek(ok string) bool {
	r := s.getRune()
	if r != eof {
		s.UnreadRune()
	}
	return indexRune(ok, r) >= 0
}

// accept reads the next rune into s.buf if it is one of ok.
func (s *scanState) accept(ok string) bool {
	return s.consume(ok, true)
}

// okVerb reports whether verb is one of okVerbs, and fails the scan if not.
func (s *scanState) okVerb(verb rune, okVerbs, typ string) bool {
	for _, v := range okVerbs {
		if v == verb {
			return true
		}
	}
	s.errorString("bad verb '%" + string(verb) + "' for " + typ)
	return false
}

func (s *scanState) scanOne(verb rune, arg any) {
	s.buf = s.buf[:0]
	if v, ok := arg.(Scanner); ok {
		err := v.Scan(s, verb)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			s.error(err)
		}
		return
	}
	switch v := arg.(type) {
	case *bool:
		*v = s.scanBool(verb)
	case *complex64:
		*v = complex64(s.scanComplex(verb, 64))
	case *complex128:
		*v = s.scanComplex(verb, 128)
	case *int:
		*v = int(s.scanInt(verb, 64))
	case *int8:
		*v = int8(s.scanInt(verb, 8))
	case *int16:
		*v = int16(s.scanInt(verb, 16))
	case *int32:
		*v = int32(s.scanInt(verb, 32))
	case *int64:
		*v = s.scanInt(verb, 64)
	case *uint:
		*v = uint(s.scanUint(verb, 64))
	case *uint8:
		*v = uint8(s.scanUint(verb, 8))
	case *uint16:
		*v = uint16(s.scanUint(verb, 16))
	case *uint32:
		*v = uint32(s.scanUint(verb, 32))
	case *uint64:
		*v = s.scanUint(verb, 64)
	case *uintptr:
		*v = uintptr(s.scanUint(verb, 64))
	case *float32:
		if s.okVerb(verb, floatVerbs, "float32") {
			s.SkipSpace()
			s.notEOF()
			*v = float32(s.convertFloat(s.floatToken(), 32))
		}
	case *float64:
		if s.okVerb(verb, floatVerbs, "float64") {
			s.SkipSpace()
			s.notEOF()
			*v = s.convertFloat(s.floatToken(), 64)
		}
	case *string:
		*v = s.convertString(verb)
	case *[]byte:
		*v = []byte(s.convertString(verb))
	default:
		s.scanByKind(verb, arg)
	}
}

// scanByKind scans into what arg points to when it is none of scanOne's
// types: a defined type (`type Celsius float64`), scanned by its kind as
// Go's fmt scans it through reflect. A float is scanned whatever the verb,
// as there.
func (s *scanState) scanByKind(verb rune, arg any) {
	typ := Sprintf("%T", arg)
	words := (*[3]uintptr)(unsafe.Pointer(&arg))
	t := typedesc.OfTag(words[0])
	if t == nil || t.Kind != typedesc.Pointer || t.Name == "unsafe.Pointer" {
		s.errorString("type not a pointer: " + typ)
	}
	p := unsafe.Pointer(words[1])
	switch elem := typedesc.Canonical(t.Elem); elem.Kind {
	case typedesc.Float32:
		s.SkipSpace()
		s.notEOF()
		*(*float32)(p) = float32(s.convertFloat(s.floatToken(), 32))
	case typedesc.Float64:
		s.SkipSpace()
		s.notEOF()
		*(*float64)(p) = s.convertFloat(s.floatToken(), 64)
	default:
		same := samePointer(elem, p)
		if same == nil {
			s.errorString("can't scan type: " + typ)
		}
		s.scanOne(verb, same)
	}
}

// samePointer is a pointer to p's memory as scanOne's type of the kind of
// elem (*int for a `type Count int`), or nil for none.
func samePointer(elem *typedesc.Type, p unsafe.Pointer) any {
	switch elem.Kind {
	case typedesc.Bool:
		return (*bool)(p)
	case typedesc.Int:
		return (*int)(p)
	case typedesc.Int8:
		return (*int8)(p)
	case typedesc.Int16:
		return (*int16)(p)
	case typedesc.Int32:
		return (*int32)(p)
	case typedesc.Int64:
		return (*int64)(p)
	case typedesc.Uint:
		return (*uint)(p)
	case typedesc.Uint8:
		return (*uint8)(p)
	case typedesc.Uint16:
		return (*uint16)(p)
	case typedesc.Uint32:
		return (*uint32)(p)
	case typedesc.Uint64:
		return (*uint64)(p)
	case typedesc.Uintptr:
		return (*uintptr)(p)
	case typedesc.Complex64:
		return (*complex64)(p)
	case typedesc.Complex128:
		return (*complex128)(p)
	case typedesc.String:
		return (*string)(p)
	case typedesc.Slice:
		// Of slices, only of bytes (a defined []byte, or a []T of a
		// defined byte type), as in Go.
		if typedesc.Canonical(elem.Elem).Kind == typedesc.Uint8 {
			return (*[]byte)(p)
		}
	}
	return nil
}

func indexRune(s string, r rune) int {
	for i, c := range s {
		if c == r {
			return i
		}
	}
	return -1
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func runeLen(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	}
	return 4
}

// fullRune reports whether b begins with a whole UTF-8 encoding (or an
// invalid one, which decodes as one byte).
func fullRune(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	c := b[0]
	switch {
	case c < 0xC0:
		return true
	case c < 0xE0:
		return len(b) >= 2
	case c < 0xF0:
		return len(b) >= 3
	}
	return len(b) >= 4
}

// decodeRune is the first rune of b and its size (RuneError, 1 when b
// does not begin with valid UTF-8).
func decodeRune(b []byte) (rune, int) {
	for i, r := range string(b) {
		if i > 0 {
			break
		}
		size := runeLen(r)
		if r == 0xFFFD && (len(b) < 3 || b[0] != 0xEF || b[1] != 0xBF || b[2] != 0xBD) {
			size = 1
		}
		return r, size
	}
	return 0xFFFD, 1
}
