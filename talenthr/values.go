package talenthr

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// TalentHR's replies are read tolerantly: their shapes come from clients,
// not from a published schema (https://apidocs.talenthr.io/ renders them
// only in JavaScript, and lists no types). A string field also
// takes a number (ids are JSON numbers: 19 reads as "19") or a boolean; a
// bool takes true/false, 0/1 and their strings (languages send rtl: 1); a
// Date takes what ParseDate reads; null gives the zero value. A value of
// another kind than its field expects (an object where a string was
// documented) does not fail the read: the field stays zero and the raw
// value is kept in Extra under its key, with every key the type does not
// name, so nothing TalentHR sends is dropped.

// Extra holds the keys of a TalentHR object that its Go type does not name
// (custom-field columns of the directory, u_id, ...), as raw JSON.
type Extra map[string]json.RawMessage

type fieldInfo struct {
	index int
	name  string
}

type typeInfo struct {
	fields []fieldInfo
	extra  int // index of the Extra field, -1 if none
}

var typeCache sync.Map // reflect.Type → *typeInfo

var (
	extraType = reflect.TypeOf(Extra(nil))
	dateType  = reflect.TypeOf(Date{})
)

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
		ti.fields = append(ti.fields, fieldInfo{index: i, name: name})
	}
	typeCache.Store(t, ti)
	return ti
}

// decodeObject decodes the JSON object data into the struct dst points to.
// Only data that is not a JSON object is an error.
func decodeObject(data []byte, dst any) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	v := reflect.ValueOf(dst).Elem()
	ti := infoOf(v.Type())
	v.SetZero()
	for _, f := range ti.fields {
		val, ok := raw[f.name]
		if !ok {
			continue
		}
		if decodeValue(val, v.Field(f.index)) {
			delete(raw, f.name)
		} else {
			v.Field(f.index).SetZero()
		}
	}
	if ti.extra >= 0 && len(raw) > 0 {
		v.Field(ti.extra).Set(reflect.ValueOf(Extra(raw)))
	}
	return nil
}

// decodeValue decodes b into v tolerantly and reports whether it could.
func decodeValue(b json.RawMessage, v reflect.Value) bool {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return true
	}
	if v.Type() == dateType {
		return v.Addr().Interface().(*Date).UnmarshalJSON(b) == nil
	}
	switch v.Kind() {
	case reflect.String:
		s, ok := scalarText(b)
		if ok {
			v.SetString(s)
		}
		return ok
	case reflect.Bool:
		s, ok := scalarText(b)
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1":
			v.SetBool(true)
		case "false", "0", "":
		default:
			return false
		}
		return ok
	case reflect.Int:
		s, ok := scalarText(b)
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if !ok || err != nil {
			return false
		}
		v.SetInt(int64(n))
		return true
	}
	return json.Unmarshal(b, v.Addr().Interface()) == nil
}

// scalarText returns a JSON string's value, or a number's or a boolean's
// literal text; false for objects, arrays and malformed input.
func scalarText(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", false
	}
	switch b[0] {
	case '"':
		var s string
		return s, json.Unmarshal(b, &s) == nil
	case '{', '[':
		return "", false
	}
	if !json.Valid(b) {
		return "", false
	}
	return string(b), true
}

// encodeObject writes the struct src as one JSON object: the named fields
// and the Extra keys, leaving out skip. Keys come out sorted, so equal
// values encode to equal bytes (the fingerprint depends on it).
func encodeObject(src any, skip ...string) ([]byte, error) {
	v := reflect.ValueOf(src)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	ti := infoOf(v.Type())
	out := make(map[string]json.RawMessage, len(ti.fields))
	if ti.extra >= 0 {
		for k, raw := range v.Field(ti.extra).Interface().(Extra) {
			var buf bytes.Buffer
			if json.Compact(&buf, raw) == nil {
				out[k] = buf.Bytes()
			}
		}
	}
	for _, f := range ti.fields {
		b, err := json.Marshal(v.Field(f.index).Interface())
		if err != nil {
			return nil, err
		}
		out[f.name] = b
	}
	for _, k := range skip {
		delete(out, k)
	}
	return json.Marshal(out) // map keys sorted by encoding/json
}

// decodeList decodes a JSON array of objects; null is an empty list.
func decodeList[T any](data []byte) ([]T, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, err
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
