package talenthr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date, the form TalentHR gives hire, termination and
// birth dates in: "2006-01-02" (https://apidocs.talenthr.io/, hire: "The
// hire date must be formatted as YYYY-MM-DD"). It has no time of day and no
// zone. The zero Date is "no date" and is written as JSON null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is TalentHR's date form.
const dateLayout = "2006-01-02"

// NewDate returns the date y-m-d, normalized as time.Date does (March 32
// is April 1).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// dateTimeLayouts are the timestamp forms a date may arrive in (some
// clients normalise dates to ISO timestamps, and hire_date_utc exists);
// the date is then the one written before the time, in the timestamp's
// own zone.
var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// ParseDate reads a TalentHR date: "2006-01-02", or a timestamp whose
// calendar date is taken as written ("2023-11-28T00:00:00.000000Z",
// "2023-11-28 09:00:00"). "", and MySQL's "0000-00-00", are the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0000-00-00" {
		return Date{}, nil
	}
	for _, l := range append([]string{dateLayout}, dateTimeLayouts...) {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if d := DateOf(t); d.valid() {
			return d, nil
		}
		break // year 0: no date TalentHR can be sent back
	}
	return Date{}, fmt.Errorf("talenthr: date %q is not YYYY-MM-DD", clipText(s, 40))
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.In(time.UTC).Format(dateLayout)
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// valid reports whether d is a real calendar date TalentHR can be sent.
func (d Date) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && NewDate(d.Year, d.Month, d.Day) == d
}

// MarshalJSON writes "2006-01-02", or null for the zero Date. A date that
// does not exist (February 30) is an error.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if !d.valid() {
		return nil, fmt.Errorf("talenthr: %04d-%02d-%02d is not a calendar date", d.Year, int(d.Month), d.Day)
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads a string ParseDate takes, or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("talenthr: a date must be a JSON string, got %s", clipText(string(b), 40))
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// clipText shortens s to n bytes on a rune boundary, for error texts.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !runeStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func runeStart(b byte) bool { return b&0xC0 != 0x80 }
