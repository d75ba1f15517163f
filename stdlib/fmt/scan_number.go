// Scanning numbers, booleans and strings (scan.go has the state and the
// entry points): the tokens Go's fmt accepts for each verb, converted as
// strconv converts them, with strconv's errors.
package fmt

import (
	"errors"
	"internal/typedesc"
	"unsafe"
)

const (
	binaryDigits      = "01"
	octalDigits       = "01234567"
	decimalDigits     = "0123456789"
	hexadecimalDigits = "0123456789aAbBcCdDeEfF"
	sign              = "+-"
	period            = "."
	exponent          = "eEpP"
	floatVerbs        = "beEfFgGv"
)

var complexError = errors.New("syntax error scanning complex number")
var boolError = errors.New("syntax error scanning boolean")

// numError is strconv.NumError's text: `strconv.ParseInt: parsing "x": invalid syntax`.
func numError(fn, num, reason string) error {
	return errors.New("strconv." + fn + ": parsing " + quote(num) + ": " + reason)
}

func (s *scanState) scanBool(verb rune) bool {
	s.SkipSpace()
	s.notEOF()
	if !s.okVerb(verb, "tv", "boolean") {
		return false
	}
	switch s.getRune() {
	case '0':
		return false
	case '1':
		return true
	case 't', 'T':
		if s.accept("rR") && (!s.accept("uU") || !s.accept("eE")) {
			s.error(boolError)
		}
		return true
	case 'f', 'F':
		if s.accept("aA") && (!s.accept("lL") || !s.accept("sS") || !s.accept("eE")) {
			s.error(boolError)
		}
		return false
	}
	return false
}

func (s *scanState) getBase(verb rune) (base int, digits string) {
	s.okVerb(verb, "bdoUxXv", "integer")
	base = 10
	digits = decimalDigits
	switch verb {
	case 'b':
		base, digits = 2, binaryDigits
	case 'o':
		base, digits = 8, octalDigits
	case 'x', 'X', 'U':
		base, digits = 16, hexadecimalDigits
	}
	return
}

// scanNumber reads the digits of an integer into s.buf.
func (s *scanState) scanNumber(digits string, haveDigits bool) string {
	if !haveDigits {
		s.notEOF()
		if !s.accept(digits) {
			s.errorString("expected integer")
		}
	}
	for s.accept(digits) {
	}
	return string(s.buf)
}

// scanRune is %c: the next rune, whatever it is.
func (s *scanState) scanRune(bitSize int) int64 {
	s.notEOF()
	r := s.getRune()
	n := uint(bitSize)
	x := (int64(r) << (64 - n)) >> (64 - n)
	if x != int64(r) {
		s.errorString("overflow on character value " + string(r))
	}
	return int64(r)
}

// scanBasePrefix reads %v's base prefix (0b, 0o, 0x, or 0 for octal).
func (s *scanState) scanBasePrefix() (base int, digits string, zeroFound bool) {
	if !s.peek("0") {
		return 0, decimalDigits + "_", false
	}
	s.accept("0")
	switch {
	case s.peek("bB"):
		s.consume("bB", true)
		return 0, binaryDigits + "_", true
	case s.peek("oO"):
		s.consume("oO", true)
		return 0, octalDigits + "_", true
	case s.peek("xX"):
		s.consume("xX", true)
		return 0, hexadecimalDigits + "_", true
	}
	return 0, octalDigits + "_", true
}

func (s *scanState) scanInt(verb rune, bitSize int) int64 {
	if verb == 'c' {
		return s.scanRune(bitSize)
	}
	tok, base := s.integerToken(verb, true)
	i, err := parseInt(tok, base)
	if err != nil {
		s.error(err)
	}
	n := uint(bitSize)
	if x := (i << (64 - n)) >> (64 - n); x != i {
		s.errorString("integer overflow on token " + tok)
	}
	return i
}

func (s *scanState) scanUint(verb rune, bitSize int) uint64 {
	if verb == 'c' {
		return uint64(s.scanRune(bitSize))
	}
	tok, base := s.integerToken(verb, false)
	i, err := parseUint(tok, base, "ParseUint")
	if err != nil {
		s.error(err)
	}
	n := uint(bitSize)
	if x := (i << (64 - n)) >> (64 - n); x != i {
		s.errorString("unsigned integer overflow on token " + tok)
	}
	return i
}

// integerToken reads the token of an integer for verb, and its base: %U's
// "U+", or a sign (signed only) and %v's base prefix, then the digits.
func (s *scanState) integerToken(verb rune, signed bool) (tok string, base int) {
	s.SkipSpace()
	s.notEOF()
	base, digits := s.getBase(verb)
	haveDigits := false
	if verb == 'U' {
		if !s.consume("U", false) || !s.consume("+", false) {
			s.errorString("bad unicode format ")
		}
	} else {
		if signed {
			s.accept(sign)
		}
		if verb == 'v' {
			base, digits, haveDigits = s.scanBasePrefix()
		}
	}
	return s.scanNumber(digits, haveDigits), base
}

// parseUint is strconv.ParseUint(text, base, 64): base 0 takes a prefix
// (0b, 0o, 0, 0x) and underscores between digits.
func parseUint(text string, base int, fn string) (uint64, error) {
	s := text
	if s == "" {
		return 0, numError(fn, text, "invalid syntax")
	}
	underscores := base == 0
	if base == 0 {
		base = 10
		if s[0] == '0' {
			switch {
			case len(s) >= 3 && (s[1] == 'b' || s[1] == 'B'):
				base, s = 2, s[2:]
			case len(s) >= 3 && (s[1] == 'o' || s[1] == 'O'):
				base, s = 8, s[2:]
			case len(s) >= 3 && (s[1] == 'x' || s[1] == 'X'):
				base, s = 16, s[2:]
			default:
				base, s = 8, s[1:]
			}
		}
	}
	var value uint64
	overflow := false
	sawUnderscore := false
	for _, c := range []byte(s) {
		var d uint64
		switch {
		case c == '_' && underscores:
			sawUnderscore = true
			continue
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'a' <= c && c <= 'z':
			d = uint64(c-'a') + 10
		case 'A' <= c && c <= 'Z':
			d = uint64(c-'A') + 10
		default:
			return 0, numError(fn, text, "invalid syntax")
		}
		if d >= uint64(base) {
			return 0, numError(fn, text, "invalid syntax")
		}
		if value > (1<<64-1-d)/uint64(base) {
			overflow = true
		}
		value = value*uint64(base) + d
	}
	if sawUnderscore && !underscoreOK(text) {
		return 0, numError(fn, text, "invalid syntax")
	}
	if overflow {
		return 1<<64 - 1, numError(fn, text, "value out of range")
	}
	return value, nil
}

// parseInt is strconv.ParseInt(text, base, 64).
func parseInt(text string, base int) (int64, error) {
	if text == "" {
		return 0, numError("ParseInt", text, "invalid syntax")
	}
	s := text
	negative := false
	if s[0] == '+' || s[0] == '-' {
		negative = s[0] == '-'
		s = s[1:]
	}
	u, err := parseUint(s, base, "ParseInt")
	if err != nil {
		if u == 1<<64-1 {
			return 0, numError("ParseInt", text, "value out of range")
		}
		return 0, numError("ParseInt", text, "invalid syntax")
	}
	if !negative && u >= 1<<63 || negative && u > 1<<63 {
		return 0, numError("ParseInt", text, "value out of range")
	}
	if negative {
		return -int64(u), nil
	}
	return int64(u), nil
}

// underscoreOK is Go's rule: an underscore separates digits (or follows a
// base prefix).
func underscoreOK(s string) bool {
	saw := '^'
	i := 0
	if len(s) >= 1 && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	hex := false
	if len(s) >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x') {
		i = 2
		saw = '0'
		hex = lower(s[1]) == 'x'
	}
	for ; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' || hex && 'a' <= lower(s[i]) && lower(s[i]) <= 'f' {
			saw = '0'
			continue
		}
		if s[i] == '_' {
			if saw != '0' {
				return false
			}
			saw = '_'
			continue
		}
		if saw == '_' {
			return false
		}
		saw = '!'
	}
	return saw != '_'
}

func lower(c byte) byte { return c | ('x' - 'X') }

// floatToken reads a floating-point number's text into s.buf.
func (s *scanState) floatToken() string {
	s.buf = s.buf[:0]
	if s.accept("nN") && s.accept("aA") && s.accept("nN") {
		return string(s.buf)
	}
	s.accept(sign)
	if s.accept("iI") && s.accept("nN") && s.accept("fF") {
		return string(s.buf)
	}
	digits := decimalDigits + "_"
	exp := exponent
	if s.accept("0") && s.accept("xX") {
		digits = hexadecimalDigits + "_"
		exp = "pP"
	}
	for s.accept(digits) {
	}
	if s.accept(period) {
		for s.accept(digits) {
		}
	}
	if s.accept(exp) {
		s.accept(sign)
		for s.accept(decimalDigits + "_") {
		}
	}
	return string(s.buf)
}

// runtimeParseFloat is the bits of the float nearest a decimal number (of
// bitSize 32 or 64), parseFloatFailed when text is not one.
func runtimeParseFloat(text string, bitSize int) uint64

const parseFloatFailed = 0x7FF8000000000001

// convertFloat is strconv.ParseFloat(text, n), and Go's fmt's mantissa
// with a binary exponent (`1.5p3`, `0x1p-2`).
func (s *scanState) convertFloat(text string, n int) float64 {
	if p := indexRune(text, 'p'); p >= 0 {
		f := s.convertFloat(text[:p], n)
		m, err := parseInt(text[p+1:], 10)
		if err != nil {
			s.error(numError("Atoi", text[p+1:], "invalid syntax"))
		}
		return ldexp(f, m)
	}
	f, ok := parseFloat(text, n)
	if !ok {
		s.error(numError("ParseFloat", text, "invalid syntax"))
	}
	if (f > 1.7976931348623157e308 || f < -1.7976931348623157e308) && !isInfText(text) {
		s.error(numError("ParseFloat", text, "value out of range"))
	}
	return f
}

// parseFloat parses a decimal number (the runtime rounds it) or a
// hexadecimal mantissa.
func parseFloat(text string, n int) (float64, bool) {
	if text == "" || text[len(text)-1] == '_' {
		return 0, false
	}
	body := text
	negative := false
	if body[0] == '+' || body[0] == '-' {
		negative = body[0] == '-'
		body = body[1:]
	}
	if len(body) >= 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		f, ok := parseHexMantissa(body[2:])
		if negative {
			f = -f
		}
		return f, ok
	}
	var plain []byte
	for i := 0; i < len(text); i++ {
		if text[i] == '_' {
			if !underscoreOK(text) {
				return 0, false
			}
			continue
		}
		plain = append(plain, text[i])
	}
	bits := runtimeParseFloat(string(plain), n)
	if bits == parseFloatFailed {
		return 0, false
	}
	return *(*float64)(unsafe.Pointer(&bits)), true
}

// parseHexMantissa is the value of hexadecimal digits with an optional
// fraction (`1.8` is 1.5).
func parseHexMantissa(text string) (float64, bool) {
	var value float64
	scale := 1.0
	digits := 0
	fraction := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		var d int
		switch {
		case c == '_':
			continue
		case c == '.' && !fraction:
			fraction = true
			continue
		case '0' <= c && c <= '9':
			d = int(c - '0')
		case 'a' <= lower(c) && lower(c) <= 'f':
			d = int(lower(c)-'a') + 10
		default:
			return 0, false
		}
		digits++
		value = value*16 + float64(d)
		if fraction {
			scale *= 16
		}
	}
	return value / scale, digits > 0
}

func ldexp(f float64, e int64) float64 {
	for ; e > 0; e-- {
		f *= 2
	}
	for ; e < 0; e++ {
		f /= 2
	}
	return f
}

func isInfText(text string) bool {
	if len(text) > 0 && (text[0] == '+' || text[0] == '-') {
		text = text[1:]
	}
	return len(text) == 3 && lower(text[0]) == 'i' && lower(text[1]) == 'n' && lower(text[2]) == 'f'
}

func (s *scanState) complexTokens() (real, imag string) {
	parens := s.accept("(")
	real = s.floatToken()
	s.buf = s.buf[:0]
	if !s.accept("+-") {
		s.error(complexError)
	}
	imagSign := string(s.buf)
	imag = s.floatToken()
	if !s.accept("i") {
		s.error(complexError)
	}
	if parens && !s.accept(")") {
		s.error(complexError)
	}
	return real, imagSign + imag
}

func (s *scanState) scanComplex(verb rune, n int) complex128 {
	if !s.okVerb(verb, floatVerbs, "complex") {
		return 0
	}
	s.SkipSpace()
	s.notEOF()
	sreal, simag := s.complexTokens()
	real := s.convertFloat(sreal, n/2)
	imag := s.convertFloat(simag, n/2)
	return complex(real, imag)
}

func (s *scanState) convertString(verb rune) (str string) {
	if !s.okVerb(verb, "svqxX", "string") {
		return ""
	}
	s.SkipSpace()
	s.notEOF()
	switch verb {
	case 'q':
		str = s.quotedString()
	case 'x', 'X':
		str = s.hexString()
	default:
		str = string(s.token(true, notSpace))
	}
	return
}

// quotedString is %q: a back-quoted or double-quoted Go string.
func (s *scanState) quotedString() string {
	s.notEOF()
	quote := s.getRune()
	switch quote {
	case '`':
		for {
			r := s.mustReadRune()
			if r == quote {
				break
			}
			s.buf = append(s.buf, string(r)...)
		}
		return string(s.buf)
	case '"':
		s.buf = append(s.buf, '"')
		for {
			r := s.mustReadRune()
			s.buf = append(s.buf, string(r)...)
			if r == '\\' {
				s.buf = append(s.buf, string(s.mustReadRune())...)
			} else if r == '"' {
				break
			}
		}
		result, ok := typedesc.Unquote(string(s.buf))
		if !ok {
			s.error(errors.New("invalid syntax"))
		}
		return result
	}
	s.errorString("expected quoted string")
	return ""
}

func (s *scanState) hexByte() (b byte, ok bool) {
	rune1 := s.getRune()
	if rune1 == eof {
		return
	}
	value1, ok := typedesc.HexDigit(rune1)
	if !ok {
		s.UnreadRune()
		return
	}
	value2, ok := typedesc.HexDigit(s.mustReadRune())
	if !ok {
		s.errorString("illegal hex digit")
		return
	}
	return byte(value1<<4 | value2), true
}

// hexString is %x of a string: pairs of hexadecimal digits.
func (s *scanState) hexString() string {
	s.notEOF()
	for {
		b, ok := s.hexByte()
		if !ok {
			break
		}
		s.buf = append(s.buf, b)
	}
	if len(s.buf) == 0 {
		s.errorString("no hex data for %x string")
		return ""
	}
	return string(s.buf)
}

// quote is a string in double quotes, for error messages.
func quote(text string) string {
	return Sprintf("%q", text)
}
