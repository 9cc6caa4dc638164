package litmos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateForm records how a date arrived on the wire, so that a value read from
// Litmos is written back in the same form.
type DateForm uint8

// The date forms Litmos uses: ISO 8601 in user objects and WCF "/Date(ms)/" in
// course and result records (not in Litmos's public docs; observed in recorded
// traffic, https://github.com/charliequinn/python-litmos-api, and
// https://github.com/Trustpower/Python-Litmos).
const (
	// DateWCF is the WCF form "/Date(1497801750508)/", with an optional
	// "+hhmm"/"-hhmm" zone. It is the zero form: a date the caller sets is written
	// this way, because JSON request dates need it (a recorded PUT with an ISO
	// UpdatedAt got a 500, with /Date(ms)/ a 200:
	// https://github.com/charliequinn/python-litmos-api).
	DateWCF DateForm = iota
	// DateISO is ISO 8601 with a zone ("2016-12-09T07:54:27Z",
	// "2021-09-20T20:50:36.000+0000"), used in user objects.
	DateISO
	// DateISOLocal is ISO 8601 without a zone ("2021-07-15T15:44:46.84"),
	// read as UTC.
	DateISOLocal
	// DateEmpty is the empty string Litmos sends for a date never set
	// (LastLogin of a user who never logged in).
	DateEmpty
	// DateNull is a JSON null.
	DateNull
)

// Time is a Litmos date-time. It reads every form Litmos sends (WCF
// "/Date(ms±hhmm)/", ISO 8601 with or without a zone, "" and null) and
// remembers the form in Form, so a read-modify-write round trip sends each
// date back as Litmos sent it. A date set by the caller (Form DateWCF) is
// written as "/Date(ms)/", the form Litmos accepts in JSON requests.
//
// The zero Time is written as null, or "" when Form is DateEmpty.
type Time struct {
	time.Time
	Form DateForm
}

// NewTime returns t as a Time written in the WCF form.
func NewTime(t time.Time) Time { return Time{Time: t} }

// isoLayouts are tried in order; Go accepts a fractional second after the
// seconds field even when the layout has none.
var isoLayouts = []struct {
	layout string
	form   DateForm
}{
	{time.RFC3339Nano, DateISO},
	{"2006-01-02T15:04:05Z0700", DateISO},
	{"2006-01-02T15:04:05", DateISOLocal},
	{"2006-01-02 15:04:05", DateISOLocal},
	{"2006-01-02", DateISOLocal},
}

// ParseTime parses a Litmos date string in any of the forms Time reads.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Time{Form: DateEmpty}, nil
	}
	if strings.HasPrefix(s, "/Date(") || strings.HasPrefix(s, `\/Date(`) {
		return parseWCF(s)
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return Time{Time: t, Form: l.form}, nil
		}
	}
	return Time{}, fmt.Errorf("litmos: unrecognised date %q", s)
}

// parseWCF reads "/Date(1497801750508)/" and "/Date(1497801750508-0700)/".
func parseWCF(s string) (Time, error) {
	inner := strings.TrimPrefix(strings.TrimPrefix(s, `\`), "/Date(")
	end := strings.Index(inner, ")")
	if end <= 0 {
		return Time{}, fmt.Errorf("litmos: unrecognised date %q", s)
	}
	inner = inner[:end]
	ms, zone := inner, ""
	// The zone sign is the first + or - after the first digit (ms may be negative).
	if i := strings.IndexAny(inner[1:], "+-"); i >= 0 {
		ms, zone = inner[:i+1], inner[i+1:]
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return Time{}, fmt.Errorf("litmos: unrecognised date %q", s)
	}
	t := time.UnixMilli(n).UTC()
	if zone != "" {
		off, err := parseOffset(zone)
		if err != nil {
			return Time{}, fmt.Errorf("litmos: unrecognised date %q", s)
		}
		if off != 0 {
			t = t.In(time.FixedZone("", off))
		}
	}
	return Time{Time: t, Form: DateWCF}, nil
}

// parseOffset reads "+hhmm" or "-hhmm" as seconds east of UTC.
func parseOffset(z string) (int, error) {
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return 0, fmt.Errorf("bad offset %q", z)
	}
	hh, err1 := strconv.Atoi(z[1:3])
	mm, err2 := strconv.Atoi(z[3:5])
	if err1 != nil || err2 != nil || mm > 59 {
		return 0, fmt.Errorf("bad offset %q", z)
	}
	off := hh*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	return off, nil
}

// String returns the wire form of t (without JSON quotes); "" for a zero Time.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	switch t.Form {
	case DateISO, DateEmpty, DateNull:
		return t.Time.Format(time.RFC3339Nano)
	case DateISOLocal:
		return t.Time.UTC().Format("2006-01-02T15:04:05.9999999")
	default:
		return "/Date(" + strconv.FormatInt(t.Time.UnixMilli(), 10) + ")/"
	}
}

// MarshalJSON writes t in its form; see Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		if t.Form == DateEmpty {
			return []byte(`""`), nil
		}
		return []byte("null"), nil
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON reads any form Litmos sends; see Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*t = Time{Form: DateNull}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("litmos: date is not a string: %s", truncate(b, 40))
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// MarshalText writes t like MarshalJSON without quotes (used by XML).
func (t Time) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads any form Litmos sends (used by XML).
func (t *Time) UnmarshalText(b []byte) error {
	v, err := ParseTime(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Equal reports whether t and u are the same instant (forms are ignored),
// so go-cmp and == style comparisons of records treat them as equal.
func (t Time) Equal(u Time) bool { return t.Time.Equal(u.Time) }

// truncate shortens b for an error message.
func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}

// parseISOFast reads the form Litmos uses most, "2016-12-09T07:54:27Z",
// without allocating; anything else (or out of range) reports false and
// goes to ParseTime, which gives the same result for this form.
func parseISOFast(b []byte) (Time, bool) {
	if len(b) != 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, s := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
		return Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
	if t.Day() != d {
		return Time{}, false // e.g. February 30
	}
	return Time{Time: t, Form: DateISO}, true
}
