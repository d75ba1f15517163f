package typedesc

// The literal text that reflect, internal/reflectlite and fmt need, without
// strconv: strconv imports errors, which imports internal/reflectlite, and
// g2n's reflect and fmt parse the little they need themselves.

// Itoa is strconv.Itoa.
func Itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	var b [20]byte
	i := len(b)
	for u > 0 {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Unquote is strconv.Unquote of a double-quoted string (a struct tag's
// value, a %q operand fmt scans): Go's escapes, the string decoded;
// false when it is not valid.
func Unquote(q string) (string, bool) {
	if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
		return "", false
	}
	s := q[1 : len(q)-1]
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\n' {
			return "", false
		}
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		c = s[i]
		if b, ok := oneLetterEscape(c); ok {
			out = append(out, b)
			continue
		}
		switch c {
		case 'x', 'u', 'U':
			n := 2
			if c == 'u' {
				n = 4
			} else if c == 'U' {
				n = 8
			}
			if i+n > len(s)-1 {
				return "", false
			}
			var v rune
			for j := 1; j <= n; j++ {
				d, ok := HexDigit(rune(s[i+j]))
				if !ok {
					return "", false
				}
				v = v<<4 | d
			}
			i += n
			if c == 'x' {
				out = append(out, byte(v))
			} else {
				if v > 0x10FFFF || v >= 0xD800 && v < 0xE000 {
					return "", false
				}
				out = append(out, string(v)...)
			}
		case '0', '1', '2', '3', '4', '5', '6', '7':
			if i+2 >= len(s) {
				return "", false
			}
			v := 0
			for j := 0; j < 3; j++ {
				d := s[i+j]
				if d < '0' || d > '7' {
					return "", false
				}
				v = v*8 + int(d-'0')
			}
			if v > 255 {
				return "", false
			}
			i += 2
			out = append(out, byte(v))
		default:
			return "", false
		}
	}
	return string(out), true
}

// oneLetterEscape is the byte that \c stands for in a Go string literal.
func oneLetterEscape(c byte) (byte, bool) {
	const letters, bytes = "abfnrtv\\\"", "\a\b\f\n\r\t\v\\\""
	for i := 0; i < len(letters); i++ {
		if letters[i] == c {
			return bytes[i], true
		}
	}
	return 0, false
}

// HexDigit is the value of hexadecimal digit c.
func HexDigit(c rune) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10, true
	}
	return 0, false
}
