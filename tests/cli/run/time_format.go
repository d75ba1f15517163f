// time without the clock: Duration printing and arithmetic, the calendar
// of time.Date in UTC and fixed zones, Format with Go's layouts, Parse,
// ParseDuration, Truncate and Round.
package main

import (
	"fmt"
	"time"
)

func main() {
	for _, d := range []time.Duration{0, 1, 999, 1000, 1500, time.Millisecond + 250*time.Microsecond,
		time.Second, 90 * time.Second, time.Hour, 26*time.Hour + 3*time.Minute + 500*time.Millisecond,
		-1500 * time.Millisecond, -time.Nanosecond, 1<<63 - 1, -1 << 63} {
		fmt.Println(d, int64(d), d.Seconds(), d.Milliseconds(), d.Microseconds())
	}
	d := 100*time.Minute + 30*time.Second
	fmt.Println(d.Hours(), d.Minutes(), d.Truncate(time.Hour), d.Round(time.Hour), d.Round(7*time.Minute), (-d).Round(time.Hour), (-d).Abs())
	fmt.Printf("%v %d %s %T\n", d, d, 2*time.Second, d)

	t := time.Date(2009, time.November, 10, 23, 4, 5, 6007008, time.UTC)
	fmt.Println(t)
	fmt.Println(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Weekday(), t.YearDay())
	fmt.Println(t.Unix(), t.UnixNano(), t.UnixMilli(), t.UnixMicro())
	y, w := t.ISOWeek()
	fmt.Println("ISO week:", y, w)
	layouts := []string{time.Layout, time.ANSIC, time.UnixDate, time.RubyDate, time.RFC822, time.RFC822Z, time.RFC850,
		time.RFC1123, time.RFC1123Z, time.RFC3339, time.RFC3339Nano, time.Kitchen, time.Stamp, time.StampMilli,
		time.StampMicro, time.StampNano, "2006-01-02", "Monday, January 2 2006 at 3:04pm (MST)", "__2 002 _2 2 02",
		"06 1 01 3 03 4 04 5 05 PM pm", "15:04:05.000 .999 ,000000", "Z07 Z0700 Z07:00 -07 -0700 -07:00 -070000 -07:00:00"}
	east := time.FixedZone("CET", 3600)
	west := time.FixedZone("", -(5*3600 + 30*60))
	for _, l := range layouts {
		fmt.Printf("%q: %q %q %q\n", l, t.Format(l), t.In(east).Format(l), t.In(west).Format(l))
	}
	fmt.Println(t.In(east), t.In(east).Location(), t.Location(), t.In(west))
	name, off := t.In(east).Zone()
	fmt.Println("zone:", name, off)

	// Normalisation, arithmetic, comparison.
	fmt.Println(time.Date(2023, 13, 32, 25, 61, 61, 1e9+5, time.UTC))
	fmt.Println(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC).AddDate(1, 0, 0))
	fmt.Println(time.Date(2023, 1, 31, 12, 0, 0, 0, time.UTC).AddDate(0, 1, 0))
	fmt.Println(time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC).Unix(), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).IsZero(), time.Time{}.IsZero())
	fmt.Println(time.Time{}, time.Time{}.Weekday(), time.Time{}.Unix())
	u := t.Add(36*time.Hour + 30*time.Minute)
	fmt.Println(u, u.Sub(t), t.Sub(u), u.After(t), u.Before(t), t.Equal(t.In(east)), t == t.In(east))
	fmt.Println(time.Unix(1234567890, 0).UTC(), time.Unix(0, -1).UTC(), time.UnixMilli(1700000000123).UTC(), time.UnixMicro(-1).UTC())
	for _, r := range []time.Duration{time.Second, time.Minute, time.Hour, 24 * time.Hour, 7 * time.Millisecond, 1234567 * time.Nanosecond} {
		fmt.Println("truncate/round", r, t.Truncate(r), t.Round(r))
	}
	fmt.Println(time.March, time.Saturday, time.Month(13), time.Weekday(-1))

	// Parse and ParseDuration.
	values := [][2]string{
		{time.RFC3339, "2006-01-02T15:04:05Z"},
		{time.RFC3339, "2006-01-02T15:04:05+07:00"},
		{time.RFC3339Nano, "2013-06-05T14:10:43.678Z"},
		{time.RFC1123Z, "Mon, 02 Jan 2006 15:04:05 -0700"},
		{time.RFC1123, "Mon, 02 Jan 2006 15:04:05 UTC"},
		{"2006-01-02 15:04:05", "2021-08-15 02:30:45.5"},
		{"Jan 2, 2006 at 3:04pm (MST)", "Feb 3, 2013 at 7:54pm (UTC)"},
		{"2006-01-02", "2013-02-03"},
		{"2006-01-02", "2013-02-30"},
		{"2006-01-02", "2013-2-03"},
		{"2006-01-02", "2013-02-03x"},
		{"15:04", "25:00"},
		{time.Kitchen, "3:04AM"},
		{"2006 002", "2020 060"},
	}
	for _, v := range values {
		p, err := time.Parse(v[0], v[1])
		fmt.Println(p, err)
	}
	for _, s := range []string{"1h15m30.918273645s", "300ms", "-1.5h", "1µs", "1us", "2h45m", "0", "+5s", ".5m", "1.s", "", "3", "1d", "-", "9223372036854775807ns", "9223372036854775808ns"} {
		d, err := time.ParseDuration(s)
		fmt.Println(d, err)
	}
}
