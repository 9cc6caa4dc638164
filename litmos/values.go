package litmos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Litmos objects are decoded tolerantly (litmos.md §1 "Numbers and
// booleans"): a string field also takes a number or a bool, a bool takes
// "true"/"false"/0/1, a number takes a numeric string, null and "" give the
// zero value. Fields the struct does not know are kept in Extra and written
// back, so a read-modify-write PUT sends the whole object.
//
// Struct tags: `json:"Name"` names the wire field; `alt:"A,B"` lists other
// spellings read into the same field (litmos.md §7.10); `html:"1"` decodes
// HTML entities in the value (litmos.md §7.13); `opt:"1"` leaves the field
// out of a write when it is zero.

// Extra holds the fields of a Litmos object that its Go type does not name,
// as raw JSON, so they survive a read-modify-write round trip.
type Extra map[string]json.RawMessage

type fieldInfo struct {
	index int
	name  string
	alts  []string
	html  bool
	opt   bool // omitted on write when zero
}

type typeInfo struct {
	fields []fieldInfo
	extra  int // index of the Extra field, -1 if none
}

var typeCache sync.Map // reflect.Type → *typeInfo

var extraType = reflect.TypeOf(Extra(nil))

func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeCache.Load(t); ok {
		return v.(*typeInfo)
	}
	ti := &typeInfo{extra: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type == extraType {
			ti.extra = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fi := fieldInfo{index: i, name: name, html: f.Tag.Get("html") != "", opt: f.Tag.Get("opt") != ""}
		if a := f.Tag.Get("alt"); a != "" {
			fi.alts = strings.Split(a, ",")
		}
		ti.fields = append(ti.fields, fi)
	}
	typeCache.Store(t, ti)
	return ti
}

// decodeObject decodes the JSON object data into the struct pointed to by dst.
func decodeObject(data []byte, dst any) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return wrapf(err, "decode object")
	}
	v := reflect.ValueOf(dst).Elem()
	ti := infoOf(v.Type())
	v.SetZero()
	for _, f := range ti.fields {
		key, val, ok := lookup(raw, f.name, f.alts)
		if !ok {
			continue
		}
		delete(raw, key)
		if err := decodeValue(val, v.Field(f.index), f.html); err != nil {
			return wrapf(err, "field %s", f.name)
		}
	}
	if ti.extra >= 0 && len(raw) > 0 {
		v.Field(ti.extra).Set(reflect.ValueOf(Extra(raw)))
	}
	return nil
}

// lookup finds name (exactly, then any alternative spelling, then case-insensitively).
func lookup(raw map[string]json.RawMessage, name string, alts []string) (string, json.RawMessage, bool) {
	if v, ok := raw[name]; ok {
		return name, v, true
	}
	for _, a := range alts {
		if v, ok := raw[a]; ok {
			return a, v, true
		}
	}
	for k, v := range raw {
		if strings.EqualFold(k, name) {
			return k, v, true
		}
	}
	return "", nil, false
}

var timeType = reflect.TypeOf(Time{})

// decodeValue decodes one JSON value into v tolerantly.
func decodeValue(b json.RawMessage, v reflect.Value, unescape bool) error {
	b = bytes.TrimSpace(b)
	if v.Type() == timeType {
		return v.Addr().Interface().(*Time).UnmarshalJSON(b)
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		s, err := scalarText(b)
		if err != nil {
			return err
		}
		if unescape && strings.ContainsRune(s, '&') {
			s = html.UnescapeString(s)
		}
		v.SetString(s)
	case reflect.Bool:
		s, err := scalarText(b)
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1":
			v.SetBool(true)
		case "false", "0", "":
		default:
			return fmt.Errorf("not a boolean: %s", truncate(b, 40))
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		s, err := scalarText(b)
		if err != nil || strings.TrimSpace(s) == "" {
			return err
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return fmt.Errorf("not an integer: %s", truncate(b, 40))
		}
		v.SetInt(int64(n))
	case reflect.Float64:
		s, err := scalarText(b)
		if err != nil || strings.TrimSpace(s) == "" {
			return err
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return fmt.Errorf("not a number: %s", truncate(b, 40))
		}
		v.SetFloat(n)
	default:
		return json.Unmarshal(b, v.Addr().Interface())
	}
	return nil
}

// scalarText returns a JSON string's value, or a number's or bool's literal text.
func scalarText(b []byte) (string, error) {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", err
		}
		return s, nil
	}
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		return "", fmt.Errorf("expected a scalar, got %s", truncate(b, 40))
	}
	return string(b), nil
}

// encodeObject writes the struct src as a JSON object: named fields in
// struct order, then the Extra fields in name order, leaving out skip.
// Dates keep the form they were read in.
func encodeObject(src any, skip ...string) ([]byte, error) {
	return encodeFields(src, false, skip...)
}

// encodeRequest is encodeObject for a request body: every set date is
// written as "/Date(ms)/", the form Litmos takes in JSON requests
// (litmos.md §1 "Dates" 4, §7.7).
func encodeRequest(src any, skip ...string) ([]byte, error) {
	return encodeFields(src, true, skip...)
}

func encodeFields(src any, wcfDates bool, skip ...string) ([]byte, error) {
	v := reflect.ValueOf(src)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	ti := infoOf(v.Type())
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	write := func(name string, val []byte) {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(name)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(val)
	}
	known := make(map[string]bool, len(ti.fields)+len(skip))
	for _, k := range skip {
		known[k] = true
	}
	for _, f := range ti.fields {
		fv := v.Field(f.index)
		if known[f.name] || (f.opt && isZero(fv)) {
			continue
		}
		val := fv.Interface()
		if t, ok := val.(Time); ok && wcfDates && !t.IsZero() {
			t.Form = DateWCF
			val = t
		}
		b, err := json.Marshal(val)
		if err != nil {
			return nil, wrapf(err, "encode field %s", f.name)
		}
		write(f.name, b)
		known[f.name] = true
	}
	if ti.extra >= 0 {
		extra := v.Field(ti.extra).Interface().(Extra)
		keys := make([]string, 0, len(extra))
		for k := range extra {
			if !known[k] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			write(k, extra[k])
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// isZero reports whether v holds its zero value (a Time: the zero instant).
func isZero(v reflect.Value) bool {
	if v.Type() == timeType {
		return v.Interface().(Time).IsZero()
	}
	return v.IsZero()
}

// decodeList decodes a JSON array of objects. A "null" or empty body is an
// empty list.
func decodeList[T any](data []byte) ([]T, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, wrapf(err, "decode list")
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		if err := decodeObject(r, &out[i]); err != nil {
			return nil, wrapf(err, "item %d", i)
		}
	}
	return out, nil
}

// stringValue converts a record value to the string Litmos stores.
func stringValue(x any) (string, error) {
	switch v := x.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case fmt.Stringer: // json.Number among them
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	case int, int32, int64, uint, uint32, uint64:
		return fmt.Sprint(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32), nil
	}
	return "", fmt.Errorf("cannot store a %T as text", x)
}

// setValue writes a record value into a User field of kind string, bool,
// int64, float64 or Time.
func setValue(f reflect.Value, x any) error {
	if f.Type() == timeType {
		t := f.Addr().Interface().(*Time)
		switch v := x.(type) {
		case nil:
			t.Time = time.Time{}
		case time.Time:
			t.Time = v
		case string:
			p, err := ParseTime(v)
			if err != nil {
				return err
			}
			t.Time = p.Time
		default:
			return fmt.Errorf("cannot store a %T as a date", x)
		}
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		s, err := stringValue(x)
		if err != nil {
			return err
		}
		f.SetString(s)
	case reflect.Bool:
		switch v := x.(type) {
		case bool:
			f.SetBool(v)
		case nil:
			f.SetBool(false)
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not a boolean", v)
			}
			f.SetBool(b)
		default:
			return fmt.Errorf("cannot store a %T as a boolean", x)
		}
	default:
		return fmt.Errorf("cannot write a field of kind %s", f.Kind())
	}
	return nil
}
