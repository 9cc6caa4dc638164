package bamboohr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Value is one field value as BambooHR sent it.
//
// BambooHR sends almost every value as a JSON string, ids and numbers
// included, but a few arrive as numbers, booleans or null (meta/fields ids
// are numbers or strings, https://documentation.bamboohr.com/reference/list-fields).
// Value accepts all of them and keeps the text form; the zero Value is null.
type Value struct {
	s     string
	valid bool
}

// String returns v as a non-null Value holding s.
func String(s string) Value { return Value{s: s, valid: true} }

// String returns the text of v; "" for null.
func (v Value) String() string { return v.s }

// IsNull reports whether v was JSON null or absent.
func (v Value) IsNull() bool { return !v.valid }

// IsEmpty reports whether v carries no data: null, "", or the PHP empty
// date "0000-00-00" (not in BambooHR's public docs; seen for terminationDate
// in https://github.com/faros-ai/airbyte-connectors/pull/592).
func (v Value) IsEmpty() bool {
	return !v.valid || v.s == "" || isZeroDate(v.s)
}

// Int parses v as a base-10 integer ("4", 4). A null or empty v is an error.
func (v Value) Int() (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v.s))
	if err != nil {
		return 0, fmt.Errorf("bamboohr: value %q is not an integer", v.s)
	}
	return n, nil
}

// Date parses v as a civil date; null, "" and "0000-00-00" give the zero Date.
func (v Value) Date() (Date, error) { return ParseDate(v.s) }

// Time parses v as a timestamp (see ParseTime).
func (v Value) Time() (time.Time, error) { return ParseTime(v.s) }

// Checked reads v as a checkbox (see ParseCheckbox); unrecognised text is
// unchecked.
func (v Value) Checked() bool {
	checked, _ := ParseCheckbox(v.s)
	return checked
}

// UnmarshalJSON accepts a string, number, boolean or null.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("bamboohr: empty JSON value")
	case bytes.Equal(b, []byte("null")):
		*v = Value{}
	case b[0] == '"':
		// Fast path: the decoder has checked the token; without escapes
		// its text is the value.
		if len(b) >= 2 && b[len(b)-1] == '"' {
			if inner := b[1 : len(b)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
				*v = String(string(inner))
				return nil
			}
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("bamboohr: decode value: %w", err)
		}
		*v = String(s)
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*v = String(string(b))
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("bamboohr: decode value: %w", err)
		}
		*v = String(n.String())
	default:
		return fmt.Errorf("bamboohr: value is a JSON %s, want a string, number, boolean or null", jsonKind(b[0]))
	}
	return nil
}

// MarshalJSON writes v as a JSON string, or null.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.valid {
		return []byte("null"), nil
	}
	return json.Marshal(v.s)
}

func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "token"
}

// Date is a calendar date with no time zone, as BambooHR's date fields
// ("2026-03-01") are. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses "YYYY-MM-DD". "", and "0000-00-00" which BambooHR sends
// for empty dates (not documented; seen in
// https://github.com/faros-ai/airbyte-connectors/pull/592), give the zero Date
// and no error.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" || isZeroDate(s) {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("bamboohr: date %q is not YYYY-MM-DD", s)
	}
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "YYYY-MM-DD"; the zero Date gives "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.In(time.UTC).Before(e.In(time.UTC)) }

// MarshalJSON writes d as "YYYY-MM-DD", or null when zero.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a date string; null, "" and "0000-00-00" give the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var v Value
	if err := v.UnmarshalJSON(b); err != nil {
		return err
	}
	parsed, err := ParseDate(v.s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// isZeroDate reports the PHP zero dates "0000-00-00" and "0000-00-00T00:00:00..."
// (undocumented; https://github.com/faros-ai/airbyte-connectors/pull/592).
func isZeroDate(s string) bool { return strings.HasPrefix(s, "0000-00-00") }

// timeLayouts are the timestamp forms BambooHR is known to send: "+0000" in
// https://documentation.bamboohr.com/docs/event-based-webhooks, "+00:00" and
// "Z" in https://documentation.bamboohr.com/reference/get-changed-employee-ids.
var timeLayouts = []string{
	time.RFC3339Nano,            // 2026-05-29T14:29:44Z, +00:00
	"2006-01-02T15:04:05-0700",  // webhook samples: +0000
	"2006-01-02 15:04:05",       // webhook management API, UTC
	"2006-01-02T15:04:05",       // no offset: UTC
	"2006-01-02 15:04:05-07:00", // seen in some exports
}

// ParseTime parses a BambooHR timestamp: RFC 3339 with "Z" or "+00:00",
// "+0000" offsets, or "YYYY-MM-DD HH:MM:SS" (UTC). "" and the PHP zero
// timestamp "0000-00-00T00:00:00+00:00" give the zero time and no error.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || isZeroDate(s) {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bamboohr: timestamp %q is not ISO 8601", s)
}

// ParseCheckbox reads a checkbox value tolerantly, because BambooHR does not
// document how checkboxes read back (https://documentation.bamboohr.com/docs/field-types
// covers writing only). "true", "1",
// "yes", "checkbox" and "on" (any case) are checked; "false", "0", "no",
// "off" and "" are unchecked. ok is false for any other text, which reads as
// unchecked.
func ParseCheckbox(s string) (checked, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "checkbox", "on":
		return true, true
	case "false", "0", "no", "off", "":
		return false, true
	}
	return false, false
}
