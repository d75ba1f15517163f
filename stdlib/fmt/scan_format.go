// Scanning by a format (Scanf, Sscanf, Fscanf), as Go's fmt does: verbs
// with widths, literal text matched rune by rune, spaces and newlines in
// the format matched against the input's by Go's rules (advance).
package fmt

// decodeString is the first rune of s and its size, (RuneError, 0) for "".
func decodeString(s string) (rune, int) {
	if s == "" {
		return 0xFFFD, 0
	}
	return decodeRune([]byte(s[:min(len(s), 4)]))
}

// advance matches the format's text up to its next verb against the
// input: the bytes of format consumed, or -1 when a literal does not match.
func (s *scanState) advance(format string) (i int) {
	for i < len(format) {
		fmtc, w := decodeString(format[i:])
		// A newline in the format matches zero or more spaces and a newline
		// (or the end of the input); spaces before it fold into it, spaces
		// after it match zero or more spaces after the input's newline;
		// other spaces match one or more spaces (or the end of the input).
		if isSpace(fmtc) {
			newlines := 0
			trailingSpace := false
			for isSpace(fmtc) && i < len(format) {
				if fmtc == '\n' {
					newlines++
					trailingSpace = false
				} else {
					trailingSpace = true
				}
				i += w
				fmtc, w = decodeString(format[i:])
			}
			for j := 0; j < newlines; j++ {
				inputc := s.getRune()
				for isSpace(inputc) && inputc != '\n' {
					inputc = s.getRune()
				}
				if inputc != '\n' && inputc != eof {
					s.errorString("newline in format does not match input")
				}
			}
			if trailingSpace {
				inputc := s.getRune()
				if newlines == 0 {
					if !isSpace(inputc) && inputc != eof {
						s.errorString("expected space in input to match format")
					}
					if inputc == '\n' {
						s.errorString("newline in input does not match format")
					}
				}
				for isSpace(inputc) && inputc != '\n' {
					inputc = s.getRune()
				}
				if inputc != eof {
					s.UnreadRune()
				}
			}
			continue
		}
		if fmtc == '%' {
			if i+w == len(format) {
				s.errorString("missing verb: % at end of format string")
			}
			nextc, _ := decodeString(format[i+w:])
			if nextc != '%' {
				return
			}
			i += w // %% is a literal percent sign
		}
		inputc := s.mustReadRune()
		if fmtc != inputc {
			s.UnreadRune()
			return -1
		}
		i += w
	}
	return
}

func (s *scanState) scanPercent() {
	s.SkipSpace()
	s.notEOF()
	if !s.accept("%") {
		s.errorString("missing literal %")
	}
}

func (s *scanState) doScanf(format string, a []any) (numProcessed int, err error) {
	defer errorHandler(&err)
	end := len(format) - 1
	for i := 0; i <= end; {
		w := s.advance(format[i:])
		if w > 0 {
			i += w
			continue
		}
		if format[i] != '%' {
			if w < 0 {
				s.errorString("input does not match format")
			}
			break // at the end of the input: too many operands, below
		}
		i++
		var widPresent bool
		s.maxWid, widPresent, i = parsenum(format, i, end) // formatter.go
		if !widPresent {
			s.maxWid = hugeWid
		}
		c, w := decodeString(format[i:])
		i += w
		if c != 'c' {
			s.SkipSpace()
		}
		if c == '%' {
			s.scanPercent()
			continue
		}
		s.argLimit = s.limit
		if f := s.count + s.maxWid; f < s.argLimit {
			s.argLimit = f
		}
		if numProcessed >= len(a) {
			s.errorString("too few operands for format '%" + format[i-w:] + "'")
			break
		}
		s.scanOne(c, a[numProcessed])
		numProcessed++
		s.argLimit = s.limit
	}
	if numProcessed < len(a) {
		s.errorString("too many operands")
	}
	return
}
