package hibob

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Value is one field value as HiBob sent it: a string, number, boolean,
// null, object (a person such as work.reportsTo) or array (a multi-list),
// kept as raw JSON. The zero Value is null.
type Value struct{ raw json.RawMessage }

// RawValue makes a Value of raw JSON, for tests and for values built by hand.
func RawValue(raw json.RawMessage) Value { return Value{raw: bytes.TrimSpace(raw)} }

// StringValue makes a Value holding the JSON string s.
func StringValue(s string) Value {
	b, _ := json.Marshal(s)
	return Value{raw: b}
}

// IsNull reports whether the value is absent or JSON null. HiBob cannot tell
// "empty" from "not permitted": both arrive as absent or null.
func (v Value) IsNull() bool {
	return len(v.raw) == 0 || string(v.raw) == "null"
}

// Raw returns the JSON as HiBob sent it; nil for an absent value.
func (v Value) Raw() json.RawMessage { return v.raw }

// String returns a string as is, a number in the decimal form HiBob sent
// (19-digit IDs keep every digit), true or false, "" for null, and any
// other JSON (objects, arrays) as compact JSON text.
func (v Value) String() string {
	if v.IsNull() {
		return ""
	}
	switch v.raw[0] {
	case '"':
		var s string
		if json.Unmarshal(v.raw, &s) == nil {
			return s
		}
	case '{', '[':
		var buf bytes.Buffer
		if json.Compact(&buf, v.raw) == nil {
			return buf.String()
		}
	}
	return string(v.raw)
}

// Strings returns an array's elements as strings (see String), a single
// non-null value as a one-element slice, and nil for null.
func (v Value) Strings() []string {
	if v.IsNull() {
		return nil
	}
	if v.raw[0] != '[' {
		return []string{v.String()}
	}
	var items []json.RawMessage
	if json.Unmarshal(v.raw, &items) != nil {
		return []string{v.String()}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, Value{raw: it}.String())
	}
	return out
}

// Bool reads true/false, and the strings "true"/"false" HiBob's human-readable
// form may use; ok is false for anything else.
func (v Value) Bool() (b, ok bool) {
	b, err := strconv.ParseBool(v.String())
	return b, err == nil && !v.IsNull()
}

// Decode unmarshals the value into dst.
func (v Value) Decode(dst any) error {
	if len(v.raw) == 0 {
		return json.Unmarshal([]byte("null"), dst)
	}
	return json.Unmarshal(v.raw, dst)
}

// MarshalJSON writes the value as it came (null when absent).
func (v Value) MarshalJSON() ([]byte, error) {
	if len(v.raw) == 0 {
		return []byte("null"), nil
	}
	return v.raw, nil
}

// UnmarshalJSON keeps any JSON value.
func (v *Value) UnmarshalJSON(b []byte) error {
	v.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

// object decodes v as a JSON object; ok is false for anything else.
func (v Value) object() (map[string]json.RawMessage, bool) {
	if v.IsNull() || v.raw[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(v.raw, &m) != nil {
		return nil, false
	}
	return m, true
}
