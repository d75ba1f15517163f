// Layouts: Format, Parse and ParseDuration, with the elements of Go's
// reference time "Mon Jan 2 15:04:05 MST 2006" that its documentation
// lists.
package time

import "errors"

const (
	Layout      = "01/02 03:04:05PM '06 -0700"
	ANSIC       = "Mon Jan _2 15:04:05 2006"
	UnixDate    = "Mon Jan _2 15:04:05 MST 2006"
	RubyDate    = "Mon Jan 02 15:04:05 -0700 2006"
	RFC822      = "02 Jan 06 15:04 MST"
	RFC822Z     = "02 Jan 06 15:04 -0700"
	RFC850      = "Monday, 02-Jan-06 15:04:05 MST"
	RFC1123     = "Mon, 02 Jan 2006 15:04:05 MST"
	RFC1123Z    = "Mon, 02 Jan 2006 15:04:05 -0700"
	RFC3339     = "2006-01-02T15:04:05Z07:00"
	RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00"
	Kitchen     = "3:04PM"
	Stamp       = "Jan _2 15:04:05"
	StampMilli  = "Jan _2 15:04:05.000"
	StampMicro  = "Jan _2 15:04:05.000000"
	StampNano   = "Jan _2 15:04:05.000000000"
)

// The layout elements.
const (
	elemNone = iota
	elemLongMonth
	elemMonth
	elemNumMonth
	elemZeroMonth
	elemLongWeekDay
	elemWeekDay
	elemDay
	elemUnderDay
	elemZeroDay
	elemUnderYearDay
	elemZeroYearDay
	elemHour
	elemHour12
	elemZeroHour12
	elemMinute
	elemZeroMinute
	elemSecond
	elemZeroSecond
	elemLongYear
	elemYear
	elemPM
	elempm
	elemTZ
	elemISO8601TZ
	elemISO8601SecondsTZ
	elemISO8601ShortTZ
	elemISO8601ColonTZ
	elemISO8601ColonSecondsTZ
	elemNumTZ
	elemNumSecondsTz
	elemNumShortTZ
	elemNumColonTZ
	elemNumColonSecondsTZ
	elemFracSecond0 // digits: the element's width
	elemFracSecond9
)

type element struct {
	kind   int
	digits int  // fractional seconds: how many
	sep    byte // fractional seconds: '.' or ','
}

func hasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && s[:len(prefix)] == prefix
}

func startsWithLower(s string) bool {
	return len(s) > 0 && 'a' <= s[0] && s[0] <= 'z'
}

// The zone offset elements, longest first within each family.
var zoneElements = []struct {
	text string
	kind int
}{
	{"Z070000", elemISO8601SecondsTZ},
	{"Z07:00:00", elemISO8601ColonSecondsTZ},
	{"Z0700", elemISO8601TZ},
	{"Z07:00", elemISO8601ColonTZ},
	{"Z07", elemISO8601ShortTZ},
	{"-070000", elemNumSecondsTz},
	{"-07:00:00", elemNumColonSecondsTZ},
	{"-0700", elemNumTZ},
	{"-07:00", elemNumColonTZ},
	{"-07", elemNumShortTZ},
}

// nextElement finds the first layout element in layout: the text before
// it, the element and the text after it (elemNone: no element).
func nextElement(layout string) (prefix string, e element, suffix string) {
	for i := 0; i < len(layout); i++ {
		rest := layout[i:]
		kind, n := elemNone, 0
		switch c := layout[i]; {
		case hasPrefix(rest, "January"):
			kind, n = elemLongMonth, 7
		case hasPrefix(rest, "Jan") && !startsWithLower(rest[3:]):
			kind, n = elemMonth, 3
		case hasPrefix(rest, "Monday"):
			kind, n = elemLongWeekDay, 6
		case hasPrefix(rest, "Mon") && !startsWithLower(rest[3:]):
			kind, n = elemWeekDay, 3
		case hasPrefix(rest, "MST"):
			kind, n = elemTZ, 3
		case hasPrefix(rest, "01"):
			kind, n = elemZeroMonth, 2
		case hasPrefix(rest, "02"):
			kind, n = elemZeroDay, 2
		case hasPrefix(rest, "03"):
			kind, n = elemZeroHour12, 2
		case hasPrefix(rest, "04"):
			kind, n = elemZeroMinute, 2
		case hasPrefix(rest, "05"):
			kind, n = elemZeroSecond, 2
		case hasPrefix(rest, "06"):
			kind, n = elemYear, 2
		case hasPrefix(rest, "002"):
			kind, n = elemZeroYearDay, 3
		case hasPrefix(rest, "15"):
			kind, n = elemHour, 2
		case hasPrefix(rest, "2006"):
			kind, n = elemLongYear, 4
		case c == '1':
			kind, n = elemNumMonth, 1
		case c == '2':
			kind, n = elemDay, 1
		case c == '3':
			kind, n = elemHour12, 1
		case c == '4':
			kind, n = elemMinute, 1
		case c == '5':
			kind, n = elemSecond, 1
		case hasPrefix(rest, "__2"):
			kind, n = elemUnderYearDay, 3
		case hasPrefix(rest, "_2") && !hasPrefix(rest, "_2006"):
			kind, n = elemUnderDay, 2
		case hasPrefix(rest, "PM"):
			kind, n = elemPM, 2
		case hasPrefix(rest, "pm"):
			kind, n = elempm, 2
		case c == 'Z' || c == '-':
			for _, z := range zoneElements {
				if hasPrefix(rest, z.text) {
					kind, n = z.kind, len(z.text)
					break
				}
			}
		case (c == '.' || c == ',') && i+1 < len(layout) && (layout[i+1] == '0' || layout[i+1] == '9'):
			ch := layout[i+1]
			j := i + 1
			for j < len(layout) && layout[j] == ch {
				j++
			}
			// Only a run not followed by another digit.
			if !(j < len(layout) && '0' <= layout[j] && layout[j] <= '9') {
				kind, n = elemFracSecond0, j-i
				if ch == '9' {
					kind = elemFracSecond9
				}
				return layout[:i], element{kind: kind, digits: n - 1, sep: layout[i]}, layout[j:]
			}
		}
		if kind != elemNone {
			return layout[:i], element{kind: kind}, layout[i+n:]
		}
	}
	return layout, element{}, ""
}

// pad writes v in decimal, at least width digits, filled with fill.
func pad(v int, width int, fill byte) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := utoa(uint64(v))
	for len(s) < width {
		s = string(fill) + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Format returns t formatted by layout, which shows how the reference time
// "Mon Jan 2 15:04:05 -0700 MST 2006" would be formatted.
func (t Time) Format(layout string) string {
	return string(t.AppendFormat(nil, layout))
}

// AppendFormat is like Format but appends the text to b.
func (t Time) AppendFormat(b []byte, layout string) []byte {
	unix, name, offset := t.local()
	days := floorDiv(unix, 86400)
	year, month, day := civil(days)
	clock := unix - days*86400
	hour, min, sec := int(clock/3600), int(clock%3600/60), int(clock%60)
	for layout != "" {
		prefix, e, suffix := nextElement(layout)
		b = append(b, prefix...)
		if e.kind == elemNone {
			break
		}
		layout = suffix
		switch e.kind {
		case elemYear:
			y := year % 100
			if y < 0 {
				y = -y
			}
			b = append(b, pad(y, 2, '0')...)
		case elemLongYear:
			b = append(b, pad(year, 4, '0')...)
		case elemMonth:
			b = append(b, shortMonthNames[month-1]...)
		case elemLongMonth:
			b = append(b, longMonthNames[month-1]...)
		case elemNumMonth:
			b = append(b, itoa(int(month))...)
		case elemZeroMonth:
			b = append(b, pad(int(month), 2, '0')...)
		case elemWeekDay:
			b = append(b, shortDayNames[t.Weekday()]...)
		case elemLongWeekDay:
			b = append(b, longDayNames[t.Weekday()]...)
		case elemDay:
			b = append(b, itoa(day)...)
		case elemUnderDay:
			b = append(b, pad(day, 2, ' ')...)
		case elemZeroDay:
			b = append(b, pad(day, 2, '0')...)
		case elemUnderYearDay:
			b = append(b, pad(t.YearDay(), 3, ' ')...)
		case elemZeroYearDay:
			b = append(b, pad(t.YearDay(), 3, '0')...)
		case elemHour:
			b = append(b, pad(hour, 2, '0')...)
		case elemHour12, elemZeroHour12:
			h := hour % 12
			if h == 0 {
				h = 12
			}
			if e.kind == elemZeroHour12 {
				b = append(b, pad(h, 2, '0')...)
			} else {
				b = append(b, itoa(h)...)
			}
		case elemMinute:
			b = append(b, itoa(min)...)
		case elemZeroMinute:
			b = append(b, pad(min, 2, '0')...)
		case elemSecond:
			b = append(b, itoa(sec)...)
		case elemZeroSecond:
			b = append(b, pad(sec, 2, '0')...)
		case elemPM, elempm:
			mark := "AM"
			if hour >= 12 {
				mark = "PM"
			}
			if e.kind == elempm {
				mark = string([]byte{mark[0] + 'a' - 'A', 'm'})
			}
			b = append(b, mark...)
		case elemTZ:
			if name != "" {
				b = append(b, name...)
			} else {
				b = appendOffset(b, offset, false, false, false)
			}
		case elemISO8601TZ, elemISO8601ColonTZ, elemISO8601SecondsTZ, elemISO8601ShortTZ, elemISO8601ColonSecondsTZ:
			if offset == 0 {
				b = append(b, 'Z')
				break
			}
			fallthrough
		case elemNumTZ, elemNumSecondsTz, elemNumShortTZ, elemNumColonTZ, elemNumColonSecondsTZ:
			colon := e.kind == elemISO8601ColonTZ || e.kind == elemNumColonTZ || e.kind == elemISO8601ColonSecondsTZ || e.kind == elemNumColonSecondsTZ
			short := e.kind == elemISO8601ShortTZ || e.kind == elemNumShortTZ
			seconds := e.kind == elemISO8601SecondsTZ || e.kind == elemNumSecondsTz || e.kind == elemISO8601ColonSecondsTZ || e.kind == elemNumColonSecondsTZ
			b = appendOffset(b, offset, colon, short, seconds)
		case elemFracSecond0, elemFracSecond9:
			b = appendFraction(b, int(t.nsec), e)
		}
	}
	return b
}

// appendOffset writes a zone offset as ±hh, ±hhmm or ±hh:mm, with seconds
// when asked for (and present, except in the colon-less six-digit form).
func appendOffset(b []byte, offset int, colon, short, seconds bool) []byte {
	zone := offset / 60
	abs := offset
	if zone < 0 {
		b = append(b, '-')
		zone = -zone
		abs = -abs
	} else {
		b = append(b, '+')
	}
	b = append(b, pad(zone/60, 2, '0')...)
	if short {
		return b
	}
	if colon {
		b = append(b, ':')
	}
	b = append(b, pad(zone%60, 2, '0')...)
	if seconds {
		if colon {
			b = append(b, ':')
		}
		b = append(b, pad(abs%60, 2, '0')...)
	}
	return b
}

// appendFraction writes the nanoseconds as a fraction of e.digits digits
// (.000), or up to that many without trailing zeros (.999; nothing for 0).
func appendFraction(b []byte, nsec int, e element) []byte {
	digits := pad(nsec, 9, '0')[:e.digits]
	if e.kind == elemFracSecond9 {
		n := len(digits)
		for n > 0 && digits[n-1] == '0' {
			n--
		}
		if n == 0 {
			return b
		}
		digits = digits[:n]
	}
	return append(append(b, e.sep), digits...)
}

// A ParseError describes a problem parsing a time string.
type ParseError struct {
	Layout     string
	Value      string
	LayoutElem string
	ValueElem  string
	Message    string
}

func quote(s string) string {
	return "\"" + s + "\""
}

// Error returns the string representation of a ParseError.
func (e *ParseError) Error() string {
	if e.Message == "" {
		return "parsing time " + quote(e.Value) + " as " + quote(e.Layout) + ": cannot parse " + quote(e.ValueElem) + " as " + quote(e.LayoutElem)
	}
	return "parsing time " + quote(e.Value) + e.Message
}

var errBad = errors.New("bad value for field")

// number reads a decimal of at least min and at most max digits.
func number(s string, min, max int) (int, string, bool) {
	n, v := 0, 0
	for n < len(s) && n < max && '0' <= s[n] && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n < min {
		return 0, s, false
	}
	return v, s[n:], true
}

func lookupName(names []string, s string) (int, string, bool) {
	for i, name := range names {
		if len(s) >= len(name) && equalFold(s[:len(name)], name) {
			return i, s[len(name):], true
		}
	}
	return 0, s, false
}

func equalFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Parse parses a formatted string and returns the time value it
// represents, as Go's Parse does for the layout elements Format writes.
// Without a zone in the value the time is in UTC.
func Parse(layout, value string) (Time, error) {
	return parse(layout, value, UTC, Local)
}

// ParseInLocation is like Parse but interprets a time without zone
// information in loc.
func ParseInLocation(layout, value string, loc *Location) (Time, error) {
	return parse(layout, value, loc, loc)
}

func parse(layout, value string, defaultLoc, local *Location) (Time, error) {
	alayout, avalue := layout, value
	year, month, day, yday := 0, -1, -1, -1
	rangeErr := ""
	hour, min, sec, nsec := 0, 0, 0, 0
	pmSet, amSet := false, false
	zoneOffset, zoneName, zoneSet := 0, "", false
	for {
		prefix, e, suffix := nextElement(layout)
		elemText := layout[len(prefix) : len(layout)-len(suffix)]
		if !hasPrefix(value, prefix) {
			return Time{}, &ParseError{Layout: alayout, Value: avalue, LayoutElem: prefix, ValueElem: value}
		}
		value = value[len(prefix):]
		if e.kind == elemNone {
			if len(value) != 0 {
				return Time{}, &ParseError{Layout: alayout, Value: avalue, Message: ": extra text: " + quote(value)}
			}
			break
		}
		layout = suffix
		hold := value
		ok := true
		var v int
		switch e.kind {
		case elemYear:
			v, value, ok = number(value, 2, 2)
			if v >= 69 {
				year = 1900 + v
			} else {
				year = 2000 + v
			}
		case elemLongYear:
			year, value, ok = number(value, 4, 4)
		case elemMonth:
			v, value, ok = lookupName(shortMonthNames, value)
			month = v + 1
		case elemLongMonth:
			v, value, ok = lookupName(longMonthNames, value)
			month = v + 1
		case elemNumMonth, elemZeroMonth:
			month, value, ok = number(value, 2-btoi(e.kind == elemNumMonth), 2)
			if ok && (month < 1 || month > 12) {
				rangeErr = "month"
			}
		case elemWeekDay:
			_, value, ok = lookupName(shortDayNames, value)
		case elemLongWeekDay:
			_, value, ok = lookupName(longDayNames, value)
		case elemDay, elemUnderDay, elemZeroDay:
			if e.kind == elemUnderDay && len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
			day, value, ok = number(value, 2-btoi(e.kind != elemZeroDay), 2)
		case elemUnderYearDay, elemZeroYearDay:
			for i := 0; i < 2 && e.kind == elemUnderYearDay && len(value) > 0 && value[0] == ' '; i++ {
				value = value[1:]
			}
			yday, value, ok = number(value, 3-2*btoi(e.kind == elemUnderYearDay), 3)
			if ok && (yday < 1 || yday > 366) {
				rangeErr = "day-of-year"
			}
		case elemHour:
			hour, value, ok = number(value, 2, 2)
			if ok && hour >= 24 {
				rangeErr = "hour"
			}
		case elemHour12, elemZeroHour12:
			hour, value, ok = number(value, 2-btoi(e.kind == elemHour12), 2)
			if ok && hour > 12 {
				rangeErr = "hour"
			}
		case elemMinute, elemZeroMinute:
			min, value, ok = number(value, 2-btoi(e.kind == elemMinute), 2)
			if ok && min >= 60 {
				rangeErr = "minute"
			}
		case elemSecond, elemZeroSecond:
			sec, value, ok = number(value, 2-btoi(e.kind == elemSecond), 2)
			if ok && sec >= 60 {
				rangeErr = "second"
			}
			// A fraction after the seconds is accepted even when the
			// layout has none, as in Go.
			if ok && len(value) > 1 && (value[0] == '.' || value[0] == ',') && '0' <= value[1] && value[1] <= '9' {
				_, next, _ := nextElement(layout)
				if next.kind != elemFracSecond0 && next.kind != elemFracSecond9 {
					nsec, value = fractionValue(value[1:])
				}
			}
		case elemPM, elempm:
			if len(value) < 2 {
				ok = false
				break
			}
			switch value[:2] {
			case "PM", "pm":
				pmSet = true
			case "AM", "am":
				amSet = true
			default:
				ok = false
			}
			value = value[2:]
		case elemFracSecond0:
			if len(value) < e.digits+1 || value[0] != '.' && value[0] != ',' {
				ok = false
				break
			}
			var digits int
			digits, value, ok = number(value[1:], e.digits, e.digits)
			nsec = digits
			for i := e.digits; i < 9; i++ {
				nsec *= 10
			}
		case elemFracSecond9:
			if len(value) >= 2 && (value[0] == '.' || value[0] == ',') && '0' <= value[1] && value[1] <= '9' {
				nsec, value = fractionValue(value[1:])
			}
		case elemTZ:
			if len(value) >= 3 && value[:3] == "UTC" {
				zoneName, zoneOffset, zoneSet, value = "UTC", 0, true, value[3:]
				break
			}
			n := 0
			for n < len(value) && 'A' <= value[n] && value[n] <= 'Z' {
				n++
			}
			ok = n >= 3
			zoneName, value = value[:n], value[n:]
		case elemISO8601TZ, elemISO8601ColonTZ, elemISO8601SecondsTZ, elemISO8601ShortTZ, elemISO8601ColonSecondsTZ:
			if len(value) >= 1 && value[0] == 'Z' {
				zoneOffset, zoneName, zoneSet, value = 0, "UTC", true, value[1:]
				break
			}
			fallthrough
		case elemNumTZ, elemNumSecondsTz, elemNumShortTZ, elemNumColonTZ, elemNumColonSecondsTZ:
			zoneOffset, value, ok = offsetValue(value, e.kind)
			zoneSet = ok
		}
		if rangeErr != "" {
			return Time{}, &ParseError{Layout: alayout, Value: avalue, LayoutElem: elemText, ValueElem: value, Message: ": " + rangeErr + " out of range"}
		}
		if !ok {
			return Time{}, &ParseError{Layout: alayout, Value: avalue, LayoutElem: elemText, ValueElem: hold}
		}
	}
	if pmSet && hour < 12 {
		hour += 12
	} else if amSet && hour == 12 {
		hour = 0
	}
	if yday >= 0 {
		m, d := 0, 0
		if isLeap(year) && yday == 31+29 {
			m, d = 2, 29
		} else {
			if isLeap(year) && yday > 31+29 {
				yday--
			}
			if yday > 365 {
				return Time{}, &ParseError{Layout: alayout, Value: avalue, Message: ": day-of-year out of range"}
			}
			cum := []int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}
			for m = 1; cum[m] < yday; m++ {
			}
			d = yday - cum[m-1]
		}
		if month >= 0 && month != m || day >= 0 && day != d {
			return Time{}, &ParseError{Layout: alayout, Value: avalue, Message: ": day-of-year does not match month"}
		}
		month, day = m, d
	}
	if month < 0 {
		month = 1
	}
	if day < 0 {
		day = 1
	}
	if day < 1 || day > daysIn(Month(month), year) {
		return Time{}, &ParseError{Layout: alayout, Value: avalue, Message: ": day out of range"}
	}
	if zoneSet {
		if zoneOffset == 0 && (zoneName == "UTC" || zoneName == "") {
			return Date(year, Month(month), day, hour, min, sec, nsec, UTC), nil
		}
		t := Date(year, Month(month), day, hour, min, sec, nsec, UTC).Add(-Duration(zoneOffset) * Second)
		// The local zone, when it has this offset then.
		if lname, loff := local.zone(t.unixSec()); loff == zoneOffset && (zoneName == "" || lname == zoneName) {
			return t.In(local), nil
		}
		return t.In(FixedZone(zoneName, zoneOffset)), nil
	}
	if zoneName != "" {
		t := Date(year, Month(month), day, hour, min, sec, nsec, UTC)
		// An abbreviation the local zone uses then gives its offset; any
		// other is a zone of that name and offset 0, as in Go.
		if lname, loff := local.zone(t.unixSec() - int64(localOffsetGuess(local, t))); lname == zoneName {
			return t.Add(-Duration(loff) * Second).In(local), nil
		}
		return t.In(FixedZone(zoneName, 0)), nil
	}
	return Date(year, Month(month), day, hour, min, sec, nsec, defaultLoc), nil
}

func localOffsetGuess(l *Location, t Time) int {
	_, off := l.zone(t.unixSec())
	return off
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

func daysIn(m Month, year int) int {
	if m == February {
		if isLeap(year) {
			return 29
		}
		return 28
	}
	return 30 + int((m+m/8)%2)
}

// fractionValue reads the digits of a fraction of a second (after its
// point) as nanoseconds, digits past the ninth ignored.
func fractionValue(s string) (int, string) {
	n, v := 0, 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		if n < 9 {
			v = v*10 + int(s[n]-'0')
		}
		n++
	}
	for i := n; i < 9; i++ {
		v *= 10
	}
	return v, s[n:]
}

// offsetValue reads a numeric zone offset in the form the element names.
func offsetValue(s string, kind int) (int, string, bool) {
	if len(s) < 3 || s[0] != '+' && s[0] != '-' {
		return 0, s, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	rest := s[1:]
	hh, rest, ok := number(rest, 2, 2)
	if !ok {
		return 0, s, false
	}
	mm, ss := 0, 0
	colon := kind == elemISO8601ColonTZ || kind == elemNumColonTZ || kind == elemISO8601ColonSecondsTZ || kind == elemNumColonSecondsTZ
	short := kind == elemISO8601ShortTZ || kind == elemNumShortTZ
	seconds := kind == elemISO8601SecondsTZ || kind == elemNumSecondsTz || kind == elemISO8601ColonSecondsTZ || kind == elemNumColonSecondsTZ
	if !short {
		if colon {
			if len(rest) == 0 || rest[0] != ':' {
				return 0, s, false
			}
			rest = rest[1:]
		}
		mm, rest, ok = number(rest, 2, 2)
		if !ok {
			return 0, s, false
		}
		if seconds {
			if colon {
				if len(rest) == 0 || rest[0] != ':' {
					return 0, s, false
				}
				rest = rest[1:]
			}
			ss, rest, ok = number(rest, 2, 2)
			if !ok {
				return 0, s, false
			}
		}
	}
	if hh > 24 || mm > 60 || ss > 60 {
		return 0, s, false
	}
	return sign * ((hh*60+mm)*60 + ss), rest, true
}

var unitMap = map[string]uint64{
	"ns": uint64(Nanosecond),
	"us": uint64(Microsecond),
	"µs": uint64(Microsecond), // U+00B5 micro sign
	"μs": uint64(Microsecond), // U+03BC Greek letter mu
	"ms": uint64(Millisecond),
	"s":  uint64(Second),
	"m":  uint64(Minute),
	"h":  uint64(Hour),
}

// ParseDuration parses a duration string: a possibly signed sequence of
// decimal numbers, each with optional fraction and a unit suffix, such as
// "300ms", "-1.5h" or "2h45m". Valid units are "ns", "us" (or "µs"), "ms",
// "s", "m", "h".
func ParseDuration(s string) (Duration, error) {
	orig := s
	var d uint64
	neg := false
	if s != "" {
		c := s[0]
		if c == '-' || c == '+' {
			neg = c == '-'
			s = s[1:]
		}
	}
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return 0, errors.New("time: invalid duration " + quote(orig))
	}
	for s != "" {
		var v, f uint64
		scale := 1.0
		if !(s[0] == '.' || '0' <= s[0] && s[0] <= '9') {
			return 0, errors.New("time: invalid duration " + quote(orig))
		}
		pl := len(s)
		overflow := false
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			if v > 1<<63/10 {
				overflow = true
			}
			v = v*10 + uint64(s[0]-'0')
			if v > 1<<63 {
				overflow = true
			}
			s = s[1:]
		}
		if overflow {
			return 0, errors.New("time: invalid duration " + quote(orig))
		}
		pre := pl != len(s)
		post := false
		if s != "" && s[0] == '.' {
			s = s[1:]
			pl := len(s)
			for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
				if f <= (1<<63-1)/10 {
					f = f*10 + uint64(s[0]-'0')
					scale *= 10
				}
				s = s[1:]
			}
			post = pl != len(s)
		}
		if !pre && !post {
			return 0, errors.New("time: invalid duration " + quote(orig))
		}
		i := 0
		for ; i < len(s); i++ {
			c := s[i]
			if c == '.' || '0' <= c && c <= '9' {
				break
			}
		}
		if i == 0 {
			return 0, errors.New("time: missing unit in duration " + quote(orig))
		}
		u := s[:i]
		s = s[i:]
		unit, ok := unitMap[u]
		if !ok {
			return 0, errors.New("time: unknown unit " + quote(u) + " in duration " + quote(orig))
		}
		if v > 1<<63/unit {
			return 0, errors.New("time: invalid duration " + quote(orig))
		}
		v *= unit
		if f > 0 {
			v += uint64(float64(f) * (float64(unit) / scale))
			if v > 1<<63 {
				return 0, errors.New("time: invalid duration " + quote(orig))
			}
		}
		d += v
		if d > 1<<63 {
			return 0, errors.New("time: invalid duration " + quote(orig))
		}
	}
	if neg {
		return -Duration(d), nil
	}
	if d > 1<<63-1 {
		return 0, errors.New("time: invalid duration " + quote(orig))
	}
	return Duration(d), nil
}
