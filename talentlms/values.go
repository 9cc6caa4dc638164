package talentlms

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TalentLMS v1 sends nearly every value as a string but not always: ids
// are strings on GET and numbers in signup replies, last_updated_timestamp
// is either, remaining is a number while limit is a string, and unset
// values come as "" or null. The decoders below take all of these forms
// (seen across public clients; the same wobble is why
// https://github.com/clintmasden/talentlms.client carries its own string
// converter).

// Extra holds the fields of a TalentLMS object that its Go type does not
// name, as raw JSON; Custom fields (custom_field_N) are kept the same way.
type Extra map[string]json.RawMessage

// Time is a TalentLMS date or date-time. TalentLMS writes dates in the
// portal's date format and, for most of them, a unix *_timestamp beside
// them; Time is the timestamp when there is one and the formatted text
// read in the portal's format otherwise. Raw keeps the text as sent.
//
// Time is zero when the value is unset ("" or null), and also when the
// text cannot be read in the portal's format: then Raw is not empty.
type Time struct {
	time.Time        // UTC
	Raw       string // the formatted value as TalentLMS sent it; "" when unset
}

// object is a decoded JSON object whose fields are read leniently; the
// keys read are removed, so what is left is kept as Extra.
type object struct {
	m   map[string]json.RawMessage
	df  DateFormat
	err error // the first field that could not be read
}

func decodeObject(b []byte, df DateFormat) (*object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decoding JSON object: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("decoding JSON object: got null")
	}
	return &object{m: m, df: df}, nil
}

func (o *object) fail(key string, err error) {
	if o.err == nil {
		o.err = fmt.Errorf("field %s: %w", key, err)
	}
}

// take returns the raw value of key and removes it.
func (o *object) take(key string) (json.RawMessage, bool) {
	v, ok := o.m[key]
	if ok {
		delete(o.m, key)
	}
	return v, ok
}

// str reads a string, number or bool as text; null and absent give "".
func (o *object) str(key string) string {
	v, ok := o.take(key)
	if !ok {
		return ""
	}
	s, err := scalarText(v)
	if err != nil {
		o.fail(key, err)
	}
	return s
}

// text is str with HTML entities decoded (course names and prices come
// entity-encoded, e.g. "&#36;0.00"; https://github.com/Culy-Dev/TalentLMS_HS_Integration
// unescapes them).
func (o *object) text(key string) string { return html.UnescapeString(o.str(key)) }

// int reads a number or a numeric string; "" and null give 0.
func (o *object) int(key string) int64 {
	s := strings.TrimSpace(o.str(key))
	if s == "" {
		return 0
	}
	n, err := parseInt(s)
	if err != nil {
		o.fail(key, err)
	}
	return n
}

// flag reads "1"/"0", "yes"/"no", "on"/"off", "true"/"false" and JSON booleans.
func (o *object) flag(key string) bool {
	switch strings.ToLower(strings.TrimSpace(o.str(key))) {
	case "1", "yes", "on", "true":
		return true
	}
	return false
}

// time reads key with its key_timestamp sibling (when there is one).
func (o *object) time(key string) Time {
	raw := strings.TrimSpace(o.str(key))
	ts := strings.TrimSpace(o.str(key + "_timestamp"))
	t := Time{Raw: raw}
	if ts != "" && ts != "0" {
		n, err := parseInt(ts)
		if err != nil {
			o.fail(key+"_timestamp", err)
			return t
		}
		t.Time = time.Unix(n, 0).UTC()
		return t
	}
	if raw != "" && o.df != "" {
		if p, err := o.df.Parse(raw); err == nil {
			t.Time = p
		}
	}
	return t
}

// list decodes an array of objects with one; null and absent give nil.
func list[T any](o *object, key string, one func(*object) T) []T {
	v, ok := o.take(key)
	if !ok || isNull(v) {
		return nil
	}
	items, err := decodeArray(v, o.df, one)
	if err != nil {
		o.fail(key, err)
	}
	return items
}

// decodeArray decodes a JSON array of objects; an object keyed by id
// (as some v1 calls send) is read as its values, in key order.
func decodeArray[T any](b []byte, df DateFormat, one func(*object) T) ([]T, error) {
	b = bytes.TrimSpace(b)
	var raws []json.RawMessage
	if len(b) > 0 && b[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("decoding JSON: %w", err)
		}
		for _, k := range sortedKeys(m) {
			raws = append(raws, m[k])
		}
	} else if err := json.Unmarshal(b, &raws); err != nil {
		return nil, fmt.Errorf("decoding JSON array: %w", err)
	}
	out := make([]T, 0, len(raws))
	for i, r := range raws {
		o, err := decodeObject(r, df)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		item := one(o)
		if o.err != nil {
			return nil, fmt.Errorf("item %d: %w", i, o.err)
		}
		out = append(out, item)
	}
	return out, nil
}

// rest returns the fields not read, or nil.
func (o *object) rest() Extra {
	if len(o.m) == 0 {
		return nil
	}
	return Extra(o.m)
}

// custom moves the custom_field_N keys into their own map.
func (o *object) custom() Extra {
	var c Extra
	for k, v := range o.m {
		if strings.HasPrefix(k, "custom_field_") {
			if c == nil {
				c = Extra{}
			}
			c[k] = v
			delete(o.m, k)
		}
	}
	return c
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// scalarText renders a JSON scalar as text: strings as they are, numbers
// in decimal (never in exponent form), booleans as "true"/"false", null as "".
func scalarText(v json.RawMessage) (string, error) {
	b := bytes.TrimSpace(v)
	switch {
	case len(b) == 0 || string(b) == "null":
		return "", nil
	case b[0] == '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case string(b) == "true" || string(b) == "false":
		return string(b), nil
	case b[0] == '-' || ('0' <= b[0] && b[0] <= '9'):
		return numberText(string(b))
	}
	return "", fmt.Errorf("want a string or number, got %s", clip(string(b), 20))
}

// numberText writes a JSON number in plain decimal: 40457, 4.5e3 → "4500".
func numberText(s string) (string, error) {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("bad number %s", clip(s, 20))
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

// parseInt reads an integer, also one written as "12.0".
func parseInt(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("%q is not a whole number", clip(s, 20))
	}
	return int64(f), nil
}

// ref is {id, name} as v1 lists members, courses and branches.
func ref(o *object) Ref { return Ref{ID: o.str("id"), Name: o.text("name")} }

// Ref names another record: a branch of a user, a user or course of a branch.
type Ref struct {
	ID   string
	Name string
}

// sortedKeys orders an id-keyed object's keys: numeric ids by value, then
// the others as text.
func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		x, errA := strconv.ParseUint(a, 10, 64)
		y, errB := strconv.ParseUint(b, 10, 64)
		switch {
		case errA == nil && errB == nil:
			return cmp.Compare(x, y)
		case errA == nil:
			return -1
		case errB == nil:
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}
