package talentlms

import (
	"fmt"
	"strings"
	"time"
)

// DateFormat is a portal's date format setting, as GET siteinfo reports it
// in date_format. Every formatted date TalentLMS sends (created_on,
// enrolled_on, certification dates) and every date custom field follows it.
// The official integration maps the three values to PHP layouts d/m/Y,
// m/d/Y and Y/m/d, with ", H:i:s" for date-times, YYYYMMDD being the
// default (tlms_getDateFormat in
// https://github.com/epignosis/talentlms-wordpress/blob/master/src/Utils.php).
type DateFormat string

// The portal date formats.
const (
	DDMMYYYY DateFormat = "DDMMYYYY" // 21/08/2020, 07:05:00
	MMDDYYYY DateFormat = "MMDDYYYY" // 08/21/2020, 07:05:00
	YYYYMMDD DateFormat = "YYYYMMDD" // 2020/08/21, 07:05:00
)

const knownFormats = "DDMMYYYY, MMDDYYYY or YYYYMMDD"

func (f DateFormat) valid() bool { return f == DDMMYYYY || f == MMDDYYYY || f == YYYYMMDD }

// ParseDateFormat reads a date_format value (ignoring case and spaces). An
// unknown value is an error: guessing day-first against month-first would
// swap dates silently.
func ParseDateFormat(s string) (DateFormat, error) {
	f := DateFormat(strings.ToUpper(strings.TrimSpace(s)))
	if !f.valid() {
		return "", fmt.Errorf("date format %q is not one of %s", clip(s, 40), knownFormats)
	}
	return f, nil
}

// DateLayout is the Go layout of a date in f, e.g. "02/01/2006" for DDMMYYYY.
func (f DateFormat) DateLayout() string {
	switch f {
	case DDMMYYYY:
		return "02/01/2006"
	case MMDDYYYY:
		return "01/02/2006"
	}
	return "2006/01/02"
}

// Layout is the Go layout of a date-time in f, e.g. "02/01/2006, 15:04:05".
func (f DateFormat) Layout() string { return f.DateLayout() + ", 15:04:05" }

// FormatDate writes t's calendar date in f ("28/11/2023"): the form date
// custom fields and deactivation_date are written in.
func (f DateFormat) FormatDate(t time.Time) string { return t.Format(f.DateLayout()) }

// FormatDateTime writes t in f with the time ("28/11/2023, 09:30:00").
func (f DateFormat) FormatDateTime(t time.Time) string { return t.Format(f.Layout()) }

// Parse reads a date or date-time written in f, as TalentLMS writes them
// and as admins type them: day, month and hour with one or two digits, "/",
// "-" or "." between the date's parts, the time after ", " or a space, with
// or without seconds, and optionally "AM"/"PM" (the official integration
// handles both clocks). A value whose first part has four digits is read
// year-first (ISO "2023-11-28") whatever f says, as it cannot be anything
// else. The result is in UTC; TalentLMS sends no zone.
func (f DateFormat) Parse(s string) (time.Time, error) {
	t, err := f.parse(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q in format %s: %w", clip(s, 40), f, err)
	}
	return t, nil
}

func (f DateFormat) parse(s string) (time.Time, error) {
	if !f.valid() {
		return time.Time{}, fmt.Errorf("unknown date format (want %s)", knownFormats)
	}
	sc := &scanner{s: strings.TrimSpace(s)}
	ampm := sc.cutMeridiem()
	y, mo, d, err := f.scanDate(sc)
	if err != nil {
		return time.Time{}, err
	}
	h, mi, sec, hasTime, err := sc.scanTime()
	if err != nil {
		return time.Time{}, err
	}
	if h, err = applyMeridiem(h, ampm, hasTime); err != nil {
		return time.Time{}, err
	}
	if sc.rest() != "" {
		return time.Time{}, fmt.Errorf("unexpected %q after the date", clip(sc.rest(), 20))
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) || y < 1 {
		return time.Time{}, fmt.Errorf("no such day %04d-%02d-%02d", y, mo, d)
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), nil
}

// scanDate reads the three parts of the date in f's order.
func (f DateFormat) scanDate(sc *scanner) (y, m, d int, err error) {
	a, na, ok := sc.number(4)
	if !ok {
		return 0, 0, 0, fmt.Errorf("no date")
	}
	sep := sc.peek()
	if sep != '/' && sep != '-' && sep != '.' {
		return 0, 0, 0, fmt.Errorf("want /, - or . between the parts of the date")
	}
	sc.i++
	b, nb, ok1 := sc.number(2)
	ok2 := sc.peek() == sep
	sc.i++
	c, nc, ok3 := sc.number(4)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, 0, fmt.Errorf("want three numbers in the date")
	}
	switch {
	case na == 4 && nc <= 2: // year first, whatever the portal says
		return a, b, c, nil
	case na > 2 || nc != 4 || nb > 2:
		return 0, 0, 0, fmt.Errorf("the year must have four digits")
	case f == MMDDYYYY:
		return c, a, b, nil
	case f == DDMMYYYY:
		return c, b, a, nil
	}
	return 0, 0, 0, fmt.Errorf("format %s writes the year first", f)
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func applyMeridiem(h int, ampm string, hasTime bool) (int, error) {
	switch {
	case ampm == "":
		return h, nil
	case !hasTime:
		return 0, fmt.Errorf("%s without a time", ampm)
	case h < 1 || h > 12:
		return 0, fmt.Errorf("hour %d with %s", h, ampm)
	case ampm == "AM" && h == 12:
		return 0, nil
	case ampm == "PM" && h != 12:
		return h + 12, nil
	}
	return h, nil
}

// scanner walks a date string.
type scanner struct {
	s string
	i int
}

func (sc *scanner) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

func (sc *scanner) rest() string { return strings.TrimSpace(sc.s[min(sc.i, len(sc.s)):]) }

// number reads 1 to max digits.
func (sc *scanner) number(max int) (n, digits int, ok bool) {
	for sc.i < len(sc.s) && digits < max && '0' <= sc.s[sc.i] && sc.s[sc.i] <= '9' {
		n = n*10 + int(sc.s[sc.i]-'0')
		sc.i++
		digits++
	}
	if digits > 0 && sc.i < len(sc.s) && '0' <= sc.s[sc.i] && sc.s[sc.i] <= '9' {
		return 0, 0, false // too many digits
	}
	return n, digits, digits > 0
}

// cutMeridiem removes a trailing AM or PM (any case) and returns it.
func (sc *scanner) cutMeridiem() string {
	up := strings.ToUpper(sc.s)
	for _, m := range []string{"AM", "PM"} {
		if strings.HasSuffix(up, m) {
			sc.s = strings.TrimSpace(sc.s[:len(sc.s)-2])
			return m
		}
	}
	return ""
}

// scanTime reads an optional ", HH:MM[:SS]" (or "THH:MM…", or a space).
func (sc *scanner) scanTime() (h, m, s int, ok bool, err error) {
	if sc.rest() == "" {
		return 0, 0, 0, false, nil
	}
	switch sc.peek() {
	case ',', ' ', 'T':
		sc.i++
	default:
		return 0, 0, 0, false, fmt.Errorf("unexpected %q after the date", clip(sc.rest(), 20))
	}
	for sc.peek() == ' ' {
		sc.i++
	}
	var ok1, ok2 bool
	h, _, ok1 = sc.number(2)
	if sc.peek() != ':' {
		return 0, 0, 0, false, fmt.Errorf("want HH:MM after the date")
	}
	sc.i++
	m, _, ok2 = sc.number(2)
	if sc.peek() == ':' {
		sc.i++
		var ok3 bool
		if s, _, ok3 = sc.number(2); !ok3 {
			return 0, 0, 0, false, fmt.Errorf("want seconds after the second colon")
		}
	}
	if !ok1 || !ok2 || h > 23 || m > 59 || s > 59 {
		return 0, 0, 0, false, fmt.Errorf("no such time %02d:%02d:%02d", h, m, s)
	}
	return h, m, s, true, nil
}
