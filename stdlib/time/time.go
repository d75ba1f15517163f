// Package time: g2n's own (docs/stdlib.md says what it covers). The clocks,
// Sleep and the timers are bound to the runtime's scheduler: a sleeping
// goroutine is parked (the others run meanwhile), and a timer is a goroutine
// parked until its deadline or until Stop or Reset wakes it
// (crates/runtime/src/sema.rs). The calendar, Duration and the layouts of
// Format and Parse follow Go 1.19's documented behaviour.
//
// A Time is seconds since January 1, year 1 UTC (so the zero Time is that
// instant, as in Go), nanoseconds within the second, an optional reading of
// the monotonic clock (0: none) and a location (nil: UTC).
package time

import "errors"

// nanotime reads the monotonic clock (nanoseconds, never 0).
func nanotime() int64

// walltime reads the wall clock (nanoseconds since the Unix epoch).
func walltime() int64

// sleep parks the running goroutine for ns nanoseconds.
func sleep(ns int64)

// timerWait parks a timer's goroutine until the monotonic clock reaches
// when (false) or timerWake(addr) (true).
func timerWait(addr *uint32, when int64) bool

// timerWake wakes the goroutine waiting in timerWait(addr), if any.
func timerWake(addr *uint32) bool

// localOffset returns the offset east of UTC, in seconds, of the local time
// zone (TZ, else /etc/localtime, as the C library reads them) at the Unix
// time sec; localName its abbreviation there.
func localOffset(sec int64) int
func localName(sec int64) string

// loadZone loads the IANA zone name from the zoneinfo directories: 0 when
// found, 1 when there is no such zone, 2 when name is not a valid name.
func loadZone(name string) int

// zoneOffset and zoneName are localOffset and localName for a loaded zone.
func zoneOffset(name string, sec int64) int
func zoneName(name string, sec int64) string

// A Duration is an elapsed time in nanoseconds.
type Duration int64

const (
	minDuration Duration = -1 << 63
	maxDuration Duration = 1<<63 - 1
)

const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
)

// String returns the duration as "72h3m0.5s": hours, minutes and
// seconds with a fraction; below one second in ms, µs or ns; "0s" for 0.
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	u := uint64(d)
	sign := ""
	if d < 0 {
		sign = "-"
		u = -u
	}
	if u < uint64(Second) {
		switch {
		case u < uint64(Microsecond):
			return sign + utoa(u) + "ns"
		case u < uint64(Millisecond):
			return sign + fraction(u, 1000, 3) + "µs"
		default:
			return sign + fraction(u, 1000000, 6) + "ms"
		}
	}
	h := u / uint64(Hour)
	u -= h * uint64(Hour)
	m := u / uint64(Minute)
	u -= m * uint64(Minute)
	s := fraction(u, uint64(Second), 9) + "s"
	if h > 0 {
		return sign + utoa(h) + "h" + utoa(m) + "m" + s
	}
	if m > 0 {
		return sign + utoa(m) + "m" + s
	}
	return sign + s
}

// fraction writes v/div with the digits of v%div (width digits, trailing
// zeros dropped) after a point, if any.
func fraction(v, div uint64, width int) string {
	s := utoa(v / div)
	rest := v % div
	if rest == 0 {
		return s
	}
	digits := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		digits[i] = byte('0' + rest%10)
		rest /= 10
	}
	n := width
	for n > 0 && digits[n-1] == '0' {
		n--
	}
	return s + "." + string(digits[:n])
}

func utoa(u uint64) string {
	if u == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for u > 0 {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	return string(b[i:])
}

func itoa(v int) string {
	if v < 0 {
		return "-" + utoa(uint64(-v))
	}
	return utoa(uint64(v))
}

// Nanoseconds returns the duration as an integer nanosecond count.
func (d Duration) Nanoseconds() int64 { return int64(d) }

// Microseconds returns the duration as an integer microsecond count.
func (d Duration) Microseconds() int64 { return int64(d) / 1e3 }

// Milliseconds returns the duration as an integer millisecond count.
func (d Duration) Milliseconds() int64 { return int64(d) / 1e6 }

// Seconds returns the duration as a floating point number of seconds.
func (d Duration) Seconds() float64 {
	sec := d / Second
	nsec := d % Second
	return float64(sec) + float64(nsec)/1e9
}

// Minutes returns the duration as a floating point number of minutes.
func (d Duration) Minutes() float64 {
	min := d / Minute
	nsec := d % Minute
	return float64(min) + float64(nsec)/(60*1e9)
}

// Hours returns the duration as a floating point number of hours.
func (d Duration) Hours() float64 {
	hour := d / Hour
	nsec := d % Hour
	return float64(hour) + float64(nsec)/(60*60*1e9)
}

// Truncate returns d rounded toward zero to a multiple of m (d if m <= 0).
func (d Duration) Truncate(m Duration) Duration {
	if m <= 0 {
		return d
	}
	return d - d%m
}

// Round returns d rounded to the nearest multiple of m, halfway values away
// from zero; the most extreme Duration when the result overflows.
func (d Duration) Round(m Duration) Duration {
	if m <= 0 {
		return d
	}
	r := d % m
	if d < 0 {
		r = -r
		if r+r < m {
			return d + r
		}
		if d1 := d - m + r; d1 < d {
			return d1
		}
		return minDuration
	}
	if r+r < m {
		return d - r
	}
	if d1 := d + m - r; d1 > d {
		return d1
	}
	return maxDuration
}

// Abs returns the absolute value of d (the largest Duration for the
// smallest).
func (d Duration) Abs() Duration {
	switch {
	case d >= 0:
		return d
	case d == minDuration:
		return maxDuration
	default:
		return -d
	}
}

// A Month specifies a month of the year (January = 1, ...).
type Month int

const (
	January Month = 1 + iota
	February
	March
	April
	May
	June
	July
	August
	September
	October
	November
	December
)

var longMonthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var shortMonthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// String returns the English name of the month ("January", "February", ...).
func (m Month) String() string {
	if January <= m && m <= December {
		return longMonthNames[m-1]
	}
	return "%!Month(" + utoa(uint64(m)) + ")"
}

// A Weekday specifies a day of the week (Sunday = 0, ...).
type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
)

var longDayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var shortDayNames = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// String returns the English name of the day ("Sunday", "Monday", ...).
func (d Weekday) String() string {
	if Sunday <= d && d <= Saturday {
		return longDayNames[d]
	}
	return "%!Weekday(" + utoa(uint64(d)) + ")"
}

// A Location maps time instants to the zone in use at that time: UTC, the
// local zone, a zone of the IANA database (LoadLocation) or a fixed zone
// (FixedZone).
type Location struct {
	name   string
	offset int
	local  bool
	// loaded: a zone of the IANA database, looked up by name in the runtime.
	loaded bool
}

var utcLoc = Location{name: "UTC"}
var localLoc = Location{name: "Local", local: true}

// UTC represents Universal Coordinated Time.
var UTC *Location = &utcLoc

// Local represents the system's local time zone: TZ if set (empty or
// unknown: UTC), else /etc/localtime.
var Local *Location = &localLoc

// String returns the name of the location ("UTC", "Local", a FixedZone's).
func (l *Location) String() string {
	return l.get().name
}

func (l *Location) get() *Location {
	if l == nil {
		return &utcLoc
	}
	return l
}

// FixedZone returns a Location that always uses the given zone name and
// offset (seconds east of UTC).
func FixedZone(name string, offset int) *Location {
	return &Location{name: name, offset: offset}
}

// LoadLocation returns the Location with the given name: "" or "UTC" is
// UTC, "Local" is Local, any other name a zone of the IANA database
// ("America/New_York"), read from $ZONEINFO or /usr/share/zoneinfo.
func LoadLocation(name string) (*Location, error) {
	switch name {
	case "", "UTC":
		return UTC, nil
	case "Local":
		return Local, nil
	}
	switch loadZone(name) {
	case 0:
		return &Location{name: name, loaded: true}, nil
	case 2:
		return nil, errors.New("time: invalid location name")
	}
	return nil, errors.New("unknown time zone " + name)
}

// zone returns the abbreviation and offset of l at the Unix time sec.
func (l *Location) zone(sec int64) (name string, offset int) {
	l = l.get()
	if l.local {
		return localName(sec), localOffset(sec)
	}
	if l.loaded {
		return zoneName(l.name, sec), zoneOffset(l.name, sec)
	}
	return l.name, l.offset
}

// Seconds between January 1, year 1 and the Unix epoch.
const unixToInternal int64 = (1969*365 + 1969/4 - 1969/100 + 1969/400) * 86400

// A Time is an instant with nanosecond precision.
type Time struct {
	sec  int64
	nsec int32
	mono int64
	loc  *Location
}

// Now returns the current local time, with a monotonic clock reading.
func Now() Time {
	wall := walltime()
	sec := wall / 1e9
	nsec := wall % 1e9
	if nsec < 0 {
		sec--
		nsec += 1e9
	}
	return Time{sec: sec + unixToInternal, nsec: int32(nsec), mono: nanotime(), loc: Local}
}

// Unix returns the local Time of sec seconds and nsec nanoseconds since
// January 1, 1970 UTC; nsec may be outside [0, 999999999].
func Unix(sec int64, nsec int64) Time {
	if nsec < 0 || nsec >= 1e9 {
		n := nsec / 1e9
		sec += n
		nsec -= n * 1e9
		if nsec < 0 {
			nsec += 1e9
			sec--
		}
	}
	return Time{sec: sec + unixToInternal, nsec: int32(nsec), loc: Local}
}

// UnixMilli returns the local Time of msec milliseconds since the epoch.
func UnixMilli(msec int64) Time {
	return Unix(msec/1e3, (msec%1e3)*1e6)
}

// UnixMicro returns the local Time of usec microseconds since the epoch.
func UnixMicro(usec int64) Time {
	return Unix(usec/1e6, (usec%1e6)*1e3)
}

// Since returns the time elapsed since t (Now().Sub(t)).
func Since(t Time) Duration {
	return Now().Sub(t)
}

// Until returns the duration until t (t.Sub(Now())).
func Until(t Time) Duration {
	return t.Sub(Now())
}

func (t Time) unixSec() int64 { return t.sec - unixToInternal }

// abs returns t's local clock as seconds since the Unix epoch, its zone
// abbreviation and offset.
func (t Time) local() (sec int64, name string, offset int) {
	name, offset = t.loc.zone(t.unixSec())
	return t.unixSec() + int64(offset), name, offset
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// civil converts days since 1970-01-01 into a proleptic Gregorian date.
func civil(days int64) (year int, month Month, day int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), Month(m), int(d)
}

// daysFromCivil is the inverse of civil (month in 1..12).
func daysFromCivil(year int64, month int64, day int64) int64 {
	y := year
	if month <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := month + 9
	if month > 2 {
		mp = month - 3
	}
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// Date returns the Time of the given calendar date and clock in loc, in
// the zone in use there then. Values outside their ranges are normalized
// (October 32 is November 1). Date panics if loc is nil.
func Date(year int, month Month, day, hour, min, sec, nsec int, loc *Location) Time {
	if loc == nil {
		panic("time: missing Location in call to Date")
	}
	m := int64(month) - 1
	y := int64(year) + floorDiv(m, 12)
	m -= floorDiv(m, 12) * 12
	s := int64(sec) + floorDiv(int64(nsec), 1e9)
	ns := int64(nsec) - floorDiv(int64(nsec), 1e9)*1e9
	unix := daysFromCivil(y, m+1, 1)+int64(day)-1
	unix = unix*86400 + int64(hour)*3600 + int64(min)*60 + s
	// The offset: the one in use at the instant the clock would be with
	// the offset in use at the clock read as UTC. A clock a change skips
	// (02:30 when clocks go from 02:00 to 03:00) thus lands after it, and a
	// clock that happens twice takes the first, as in Go.
	_, guess := loc.zone(unix)
	_, offset := loc.zone(unix - int64(guess))
	return Time{sec: unix - int64(offset) + unixToInternal, nsec: int32(ns), loc: keepLoc(loc)}
}

// keepLoc stores UTC as nil, as Go does, so that == sees one UTC.
func keepLoc(loc *Location) *Location {
	if loc == &utcLoc {
		return nil
	}
	return loc
}

// Date returns the year, month and day of t in its location.
func (t Time) Date() (year int, month Month, day int) {
	sec, _, _ := t.local()
	return civil(floorDiv(sec, 86400))
}

// Year returns the year of t.
func (t Time) Year() int {
	y, _, _ := t.Date()
	return y
}

// Month returns the month of the year of t.
func (t Time) Month() Month {
	_, m, _ := t.Date()
	return m
}

// Day returns the day of the month of t.
func (t Time) Day() int {
	_, _, d := t.Date()
	return d
}

// Weekday returns the day of the week of t.
func (t Time) Weekday() Weekday {
	sec, _, _ := t.local()
	return Weekday((floorDiv(sec, 86400)%7 + 11) % 7)
}

// YearDay returns the day of the year of t, in [1, 365] or [1, 366].
func (t Time) YearDay() int {
	sec, _, _ := t.local()
	days := floorDiv(sec, 86400)
	y, _, _ := civil(days)
	return int(days-daysFromCivil(int64(y), 1, 1)) + 1
}

// Clock returns the hour, minute and second of t.
func (t Time) Clock() (hour, min, sec int) {
	s, _, _ := t.local()
	s -= floorDiv(s, 86400) * 86400
	return int(s / 3600), int(s % 3600 / 60), int(s % 60)
}

// Hour returns the hour of the day of t, in [0, 23].
func (t Time) Hour() int {
	h, _, _ := t.Clock()
	return h
}

// Minute returns the minute offset within the hour of t, in [0, 59].
func (t Time) Minute() int {
	_, m, _ := t.Clock()
	return m
}

// Second returns the second offset within the minute of t, in [0, 59].
func (t Time) Second() int {
	_, _, s := t.Clock()
	return s
}

// Nanosecond returns the nanosecond offset within the second of t.
func (t Time) Nanosecond() int { return int(t.nsec) }

// ISOWeek returns the ISO 8601 year and week number of t.
func (t Time) ISOWeek() (year, week int) {
	// The week's Thursday decides its year.
	wd := int(t.Weekday()+6) % 7 // Monday = 0
	thursday := t.AddDate(0, 0, 3-wd)
	return thursday.Year(), (thursday.YearDay()-1)/7 + 1
}

// Unix returns t as seconds since January 1, 1970 UTC.
func (t Time) Unix() int64 { return t.unixSec() }

// UnixNano returns t as nanoseconds since January 1, 1970 UTC.
func (t Time) UnixNano() int64 { return t.unixSec()*1e9 + int64(t.nsec) }

// UnixMilli returns t as milliseconds since January 1, 1970 UTC.
func (t Time) UnixMilli() int64 { return t.unixSec()*1e3 + int64(t.nsec)/1e6 }

// UnixMicro returns t as microseconds since January 1, 1970 UTC.
func (t Time) UnixMicro() int64 { return t.unixSec()*1e6 + int64(t.nsec)/1e3 }

// IsZero reports whether t is January 1, year 1, 00:00:00 UTC.
func (t Time) IsZero() bool { return t.sec == 0 && t.nsec == 0 }

// After reports whether t is after u (by the monotonic clock when both
// have a reading).
func (t Time) After(u Time) bool {
	if t.mono != 0 && u.mono != 0 {
		return t.mono > u.mono
	}
	return t.sec > u.sec || t.sec == u.sec && t.nsec > u.nsec
}

// Before reports whether t is before u.
func (t Time) Before(u Time) bool {
	if t.mono != 0 && u.mono != 0 {
		return t.mono < u.mono
	}
	return t.sec < u.sec || t.sec == u.sec && t.nsec < u.nsec
}

// Equal reports whether t and u are the same instant, whatever their
// locations.
func (t Time) Equal(u Time) bool {
	if t.mono != 0 && u.mono != 0 {
		return t.mono == u.mono
	}
	return t.sec == u.sec && t.nsec == u.nsec
}

// Add returns t+d.
func (t Time) Add(d Duration) Time {
	dsec := int64(d / 1e9)
	nsec := t.nsec + int32(d%1e9)
	if nsec >= 1e9 {
		dsec++
		nsec -= 1e9
	} else if nsec < 0 {
		dsec--
		nsec += 1e9
	}
	t.sec += dsec
	t.nsec = nsec
	if t.mono != 0 {
		m := t.mono + int64(d)
		if d < 0 && m > t.mono || d > 0 && m < t.mono || m == 0 {
			m = 0 // overflowed: no reading
		}
		t.mono = m
	}
	return t
}

// Sub returns t-u, by the monotonic clock when both have a reading; the
// most extreme Duration when it does not fit.
func (t Time) Sub(u Time) Duration {
	if t.mono != 0 && u.mono != 0 {
		return subMono(t.mono, u.mono)
	}
	d := Duration(t.sec-u.sec)*Second + Duration(t.nsec-u.nsec)
	switch {
	case u.Add(d).Equal(t):
		return d
	case t.Before(u):
		return minDuration
	default:
		return maxDuration
	}
}

func subMono(t, u int64) Duration {
	d := Duration(t - u)
	if d < 0 && t > u {
		return maxDuration
	}
	if d > 0 && t < u {
		return minDuration
	}
	return d
}

// AddDate returns t with the given years, months and days added,
// normalized as Date does.
func (t Time) AddDate(years int, months int, days int) Time {
	year, month, day := t.Date()
	hour, min, sec := t.Clock()
	return Date(year+years, month+Month(months), day+days, hour, min, sec, int(t.nsec), t.Location())
}

func (t Time) stripMono() Time {
	t.mono = 0
	return t
}

// UTC returns t in UTC (without a monotonic reading, as in Go).
func (t Time) UTC() Time {
	t.loc = nil
	return t.stripMono()
}

// Local returns t in the local zone.
func (t Time) Local() Time {
	t.loc = Local
	return t.stripMono()
}

// In returns t in loc; it panics if loc is nil.
func (t Time) In(loc *Location) Time {
	if loc == nil {
		panic("time: missing Location in call to Time.In")
	}
	t.loc = keepLoc(loc)
	return t.stripMono()
}

// Location returns t's location (UTC for a Time made in UTC).
func (t Time) Location() *Location {
	if t.loc == nil {
		return UTC
	}
	return t.loc
}

// Zone returns the abbreviation of the zone in effect at t and its offset
// in seconds east of UTC.
func (t Time) Zone() (name string, offset int) {
	return t.loc.zone(t.unixSec())
}

// mulMod returns a*b mod m without overflow (a, b < m).
func mulMod(a, b, m uint64) uint64 {
	var r uint64
	for b > 0 {
		if b&1 == 1 {
			r = addMod(r, a, m)
		}
		a = addMod(a, a, m)
		b >>= 1
	}
	return r
}

func addMod(a, b, m uint64) uint64 {
	if a >= m-b {
		return a - (m - b)
	}
	return a + b
}

// rem returns the time since the zero Time, modulo d (> 0).
func (t Time) rem(d Duration) Duration {
	m := uint64(d)
	// t.sec is not negative for times after year 1; earlier ones are
	// shifted by a multiple of d's period first.
	sec := t.sec
	var r uint64
	if sec >= 0 {
		r = mulMod(uint64(sec)%m, uint64(1e9)%m, m)
	} else {
		r = m - mulMod(uint64(-sec)%m, uint64(1e9)%m, m)
	}
	return Duration((r%m + uint64(t.nsec)%m) % m)
}

// Truncate returns t rounded down to a multiple of d since the zero Time
// (t without its monotonic reading if d <= 0).
func (t Time) Truncate(d Duration) Time {
	t = t.stripMono()
	if d <= 0 {
		return t
	}
	return t.Add(-t.rem(d))
}

// Round returns t rounded to the nearest multiple of d since the zero
// Time, halfway values up.
func (t Time) Round(d Duration) Time {
	t = t.stripMono()
	if d <= 0 {
		return t
	}
	r := t.rem(d)
	if r+r < d {
		return t.Add(-r)
	}
	return t.Add(d - r)
}

// String formats t as "2006-01-02 15:04:05.999999999 -0700 MST", followed
// by the monotonic reading (" m=±<seconds>") when t has one.
func (t Time) String() string {
	s := t.Format("2006-01-02 15:04:05.999999999 -0700 MST")
	if t.mono != 0 {
		m := t.mono
		sign := "+"
		if m < 0 {
			sign = "-"
			m = -m
		}
		frac := utoa(uint64(m % 1e9))
		for len(frac) < 9 {
			frac = "0" + frac
		}
		s += " m=" + sign + utoa(uint64(m/1e9)) + "." + frac
	}
	return s
}
