// Zones of the IANA database (time.LoadLocation reads /usr/share/zoneinfo):
// offsets and abbreviations across daylight saving changes, conversions,
// ParseInLocation, and LoadLocation's errors.
package main

import (
	"fmt"
	"time"
)

func main() {
	ny, err := time.LoadLocation("America/New_York")
	fmt.Println(ny, err)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	for _, t := range []time.Time{
		time.Date(2023, time.January, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2023, time.July, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2023, time.March, 12, 6, 59, 59, 0, time.UTC),
		time.Date(2023, time.March, 12, 7, 0, 0, 0, time.UTC),
		time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC),
	} {
		for _, loc := range []*time.Location{ny, berlin, kolkata} {
			name, off := t.In(loc).Zone()
			fmt.Println(t.In(loc), t.In(loc).Format(time.RFC1123Z), name, off, t.In(loc).Location())
		}
	}
	local := time.Date(2023, time.November, 5, 1, 30, 0, 0, ny)
	fmt.Println(local, local.UTC(), local.Add(time.Hour))
	fmt.Println(time.Date(2023, time.March, 26, 2, 30, 0, 0, berlin))
	p, err := time.ParseInLocation("2006-01-02 15:04", "2023-08-01 09:15", berlin)
	fmt.Println(p, p.UTC(), err)
	p, err = time.ParseInLocation(time.RFC3339, "2023-08-01T09:15:00+05:30", berlin)
	fmt.Println(p, err)
	for _, name := range []string{"UTC", "", "Nowhere/Special", "../etc/passwd", "/etc/localtime"} {
		// (A nil *Location prints as UTC in Go, <nil> in g2n's fmt: see
		// crates/runtime/src/fmt/mod.rs.)
		loc, err := time.LoadLocation(name)
		fmt.Println(loc == nil, loc.String(), err)
	}
}
