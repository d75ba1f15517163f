// Scanning from a string (Sscan, Sscanln): operands that scan themselves
// (fmt.Scanner: math/big's Int, Rat and Float), strings, byte slices,
// booleans and integers, as Go's scan.go scans them with the verb %v.
// Floating-point and complex operands are not scanned yet: they report an
// error that says so.
package fmt

import (
	"errors"
	"io"
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

// scanState reads a string.
type scanState struct {
	text      string
	pos       int
	last      int // size of the rune ReadRune read last, 0 after UnreadRune
	nlIsSpace bool
}

func (s *scanState) ReadRune() (r rune, size int, err error) {
	if s.pos >= len(s.text) {
		return 0, 0, io.EOF
	}
	r, size = rune(s.text[s.pos]), 1
	if r >= 0x80 {
		size = len(s.text) - s.pos
		for j, c := range s.text[s.pos:] {
			if j > 0 {
				size = j
				break
			}
			r = c
		}
	}
	s.pos += size
	s.last = size
	return r, size, nil
}

func (s *scanState) UnreadRune() error {
	s.pos -= s.last
	s.last = 0
	return nil
}

// getRune is ReadRune with -1 at the end of the input.
func (s *scanState) getRune() rune {
	r, _, err := s.ReadRune()
	if err != nil {
		return -1
	}
	return r
}

func (s *scanState) SkipSpace() {
	for {
		r := s.getRune()
		if r == -1 {
			return
		}
		if r == '\r' && s.pos < len(s.text) && s.text[s.pos] == '\n' {
			continue
		}
		if r == '\n' {
			if s.nlIsSpace {
				continue
			}
			panic(scanError{errors.New("unexpected newline")})
		}
		if !isSpace(r) {
			s.UnreadRune()
			return
		}
	}
}

func (s *scanState) Token(skipSpace bool, f func(rune) bool) (token []byte, err error) {
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
	if skipSpace {
		s.SkipSpace()
	}
	for {
		r := s.getRune()
		if r == -1 {
			break
		}
		if !f(r) {
			s.UnreadRune()
			break
		}
		token = append(token, string(r)...)
	}
	return token, nil
}

func (s *scanState) Width() (wid int, ok bool) { return 0, false }

func (s *scanState) Read(buf []byte) (n int, err error) {
	return 0, errors.New("ScanState's Read should not be called. Use ReadRune")
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

// Sscan scans the space-separated values of str (newlines count as space)
// into the operands, and returns how many it scanned.
func Sscan(str string, a ...any) (n int, err error) {
	s := &scanState{text: str, nlIsSpace: true}
	return s.doScan(a, false)
}

// Sscanln is Sscan that stops at a newline, after which there must be a
// newline or the end of the input.
func Sscanln(str string, a ...any) (n int, err error) {
	s := &scanState{text: str}
	return s.doScan(a, true)
}

func (s *scanState) doScan(a []any, nlIsEnd bool) (numProcessed int, err error) {
	defer func() {
		if e := recover(); e != nil {
			if se, ok := e.(scanError); ok {
				err = se.err
			} else if eof, ok := e.(error); ok && eof == io.ErrUnexpectedEOF {
				err = eof
			} else {
				panic(e)
			}
		}
	}()
	for _, arg := range a {
		s.scanOne(arg)
		numProcessed++
	}
	if nlIsEnd {
		for {
			r := s.getRune()
			if r == '\n' || r == -1 {
				break
			}
			if !isSpace(r) {
				panic(scanError{errors.New("expected newline")})
			}
		}
	}
	return
}

// notEOF panics with io.ErrUnexpectedEOF at the end of the input.
func (s *scanState) notEOF() {
	if r := s.getRune(); r == -1 {
		panic(io.ErrUnexpectedEOF)
	}
	s.UnreadRune()
}

// accept reads the next rune if it is one of ok.
func (s *scanState) accept(ok string) bool {
	r := s.getRune()
	if r == -1 {
		return false
	}
	for _, c := range ok {
		if c == r {
			return true
		}
	}
	s.UnreadRune()
	return false
}

func (s *scanState) scanOne(arg any) {
	if v, ok := arg.(Scanner); ok {
		err := v.Scan(s, 'v')
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			panic(scanError{err})
		}
		return
	}
	switch v := arg.(type) {
	case *bool:
		*v = s.scanBool()
	case *string:
		*v = s.token()
	case *[]byte:
		*v = []byte(s.token())
	case *int:
		*v = int(s.scanInt(64))
	case *int8:
		*v = int8(s.scanInt(8))
	case *int16:
		*v = int16(s.scanInt(16))
	case *int32:
		*v = int32(s.scanInt(32))
	case *int64:
		*v = s.scanInt(64)
	case *uint:
		*v = uint(s.scanUint(64))
	case *uint8:
		*v = uint8(s.scanUint(8))
	case *uint16:
		*v = uint16(s.scanUint(16))
	case *uint32:
		*v = uint32(s.scanUint(32))
	case *uint64:
		*v = s.scanUint(64)
	case *uintptr:
		*v = uintptr(s.scanUint(64))
	case *float32, *float64, *complex64, *complex128:
		panic(scanError{errors.New("g2n's fmt does not scan floating-point or complex numbers yet: " + Sprintf("%T", arg))})
	default:
		panic(scanError{errors.New("can't scan type: " + Sprintf("%T", arg))})
	}
}

// token is the next space-separated token (%v of a string).
func (s *scanState) token() string {
	s.SkipSpace()
	s.notEOF()
	var b []byte
	for {
		r := s.getRune()
		if r == -1 {
			break
		}
		if isSpace(r) {
			s.UnreadRune()
			break
		}
		b = append(b, string(r)...)
	}
	return string(b)
}

func (s *scanState) scanBool() bool {
	s.SkipSpace()
	s.notEOF()
	switch s.getRune() {
	case '0':
		return false
	case '1':
		return true
	case 't', 'T':
		if s.accept("rR") && (!s.accept("uU") || !s.accept("eE")) {
			panic(scanError{errors.New("syntax error scanning boolean")})
		}
		return true
	case 'f', 'F':
		if s.accept("aA") && (!s.accept("lL") || !s.accept("sS") || !s.accept("eE")) {
			panic(scanError{errors.New("syntax error scanning boolean")})
		}
		return false
	}
	panic(scanError{errors.New("syntax error scanning boolean")})
}

// number reads an integer's digits as %v does: an optional base prefix
// (0b, 0o, 0, 0x) and digits with underscores; its value's magnitude and
// whether it overflowed 64 bits.
func (s *scanState) number() (value uint64, overflow bool) {
	base := uint64(10)
	digits := "0123456789_"
	haveDigits := false
	if s.accept("0") {
		haveDigits = true
		switch {
		case s.accept("bB"):
			base, digits, haveDigits = 2, "01_", false
		case s.accept("oO"):
			base, digits, haveDigits = 8, "01234567_", false
		case s.accept("xX"):
			base, digits, haveDigits = 16, "0123456789aAbBcCdDeEfF_", false
		default:
			base, digits = 8, "01234567_"
		}
	}
	var text []byte
	for {
		r := s.getRune()
		if r == -1 {
			break
		}
		if !containsRune(digits, r) {
			s.UnreadRune()
			break
		}
		text = append(text, byte(r))
	}
	if !haveDigits && len(text) == 0 {
		panic(scanError{errors.New("expected integer")})
	}
	for _, c := range text {
		var d uint64
		switch {
		case c == '_':
			continue
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'a' <= c && c <= 'f':
			d = uint64(c-'a') + 10
		default:
			d = uint64(c-'A') + 10
		}
		if value > (1<<64-1-d)/base {
			overflow = true
		}
		value = value*base + d
	}
	return value, overflow
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

func (s *scanState) scanInt(bitSize uint) int64 {
	s.SkipSpace()
	s.notEOF()
	negative := false
	if s.accept("-") {
		negative = true
	} else {
		s.accept("+")
	}
	value, overflow := s.number()
	limit := uint64(1) << (bitSize - 1)
	if overflow || (!negative && value >= limit) || (negative && value > limit) {
		panic(scanError{errors.New("integer overflow on token")})
	}
	if negative {
		return -int64(value)
	}
	return int64(value)
}

func (s *scanState) scanUint(bitSize uint) uint64 {
	s.SkipSpace()
	s.notEOF()
	value, overflow := s.number()
	if overflow || (bitSize < 64 && value >= uint64(1)<<bitSize) {
		panic(scanError{errors.New("unsigned integer overflow on token")})
	}
	return value
}
