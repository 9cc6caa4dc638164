package learnamp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"
)

// marshal is json.Marshal without HTML escaping, so that "R&D" is sent
// as written rather than as "R\u0026D".
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Ptr returns a pointer to v, for the optional fields of the update
// params: learnamp.Ptr("Engineer").
func Ptr[T any](v T) *T { return &v }

// Extra holds the fields of a Learn Amp object that its Go type does not
// name (custom fields of an expanded user, removeFromTeamUrl, fields added
// later), as raw JSON by key.
type Extra map[string]json.RawMessage

// Date is a calendar date, as Learn Amp writes hireDate and takes the date
// filters: "2021-01-15" (ISO 8601). The zero Date is "no date" and
// encodes as null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "2006-01-02", or the date part of an RFC 3339 time
// ("2006-01-02T15:04:05Z", with or without a zone or fraction) in the
// zone it was written in; "" is the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateOf(t), nil
		}
	}
	return Date{}, fmt.Errorf("learnamp: %q is not an ISO 8601 date", s)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time(time.UTC).Format(time.DateOnly)
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool {
	return d.Time(time.UTC).Before(o.Time(time.UTC))
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalJSON writes "2006-01-02", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if d.Year < 1 || d.Year > 9999 || DateOf(d.Time(time.UTC)) != d {
		return nil, fmt.Errorf("learnamp: %d-%d-%d is not a calendar date", d.Year, d.Month, d.Day)
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a date string (see ParseDate); null and "" are the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("learnamp: date %s is not a string", clipJSON(b))
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// id is an id on the wire: Learn Amp writes ids as JSON numbers; id also
// reads strings and null, and writes a valid id as a number.
type id string

func (i *id) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*i = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*i = id(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("learnamp: id %s is not a number or string", clipJSON(b))
		}
		if !validID(n.String()) {
			return fmt.Errorf("learnamp: id %s is not a whole positive number", clipJSON(b))
		}
		*i = id(n.String())
	}
	return nil
}

func (i id) MarshalJSON() ([]byte, error) {
	if !validID(string(i)) {
		return nil, fmt.Errorf("learnamp: id %q is not a Learn Amp id (digits)", string(i))
	}
	return []byte(i), nil
}

// ids converts string ids for the wire.
func ids(s []string) []id {
	if s == nil {
		return nil
	}
	out := make([]id, len(s))
	for i, v := range s {
		out[i] = id(v)
	}
	return out
}

// validID reports whether s is a Learn Amp id: a positive whole number
// in decimal, without leading zeros, that fits an int64.
func validID(s string) bool {
	if s == "" || len(s) > 19 || s[0] == '0' {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(s) < 19 || s <= "9223372036854775807"
}

// checkID refuses an id that is not a Learn Amp id before anything is sent.
func checkID(kind, s string) error {
	if !validID(s) {
		return fmt.Errorf("%s id %q is not a Learn Amp id (a positive whole number)", kind, clip(s))
	}
	return nil
}

// checkIDs is checkID for each id of a list.
func checkIDs(kind string, list []string) error {
	for _, s := range list {
		if err := checkID(kind, s); err != nil {
			return err
		}
	}
	return nil
}

// segment escapes s as one path segment. "." and ".." are escaped too,
// which url.PathEscape leaves alone, so that no server reads them as
// directory steps.
func segment(s string) string {
	e := url.PathEscape(s)
	if e == "." || e == ".." {
		return strings.ReplaceAll(e, ".", "%2E")
	}
	return e
}

// checkExternalID refuses an empty integrationExternalId.
func checkExternalID(kind, ext string) error {
	if strings.TrimSpace(ext) == "" {
		return fmt.Errorf("%s integrationExternalId is empty", kind)
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

func clipJSON(b []byte) string { return clip(string(b)) }

// jsonKeys returns the JSON names of v's struct fields, for extraFields.
func jsonKeys(v any) map[string]bool {
	t := reflect.TypeOf(v)
	keys := make(map[string]bool, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

// extraFields returns the members of the JSON object b whose keys are not
// in known; nil when there are none.
func extraFields(b []byte, known map[string]bool) (Extra, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	var out Extra
	for k, v := range all {
		if known[k] {
			continue
		}
		if out == nil {
			out = Extra{}
		}
		out[k] = v
	}
	return out, nil
}
