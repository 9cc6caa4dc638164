package mapping

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IsEmpty reports whether v counts as empty: nil, text of only white
// space, a list whose elements are all empty (several sources that are all
// missing), an empty object, or Omit.
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		if x != "" && x[0] > ' ' && x[0] < utf8.RuneSelf {
			return false // fast path: starts with a visible ASCII character
		}
		return strings.TrimSpace(x) == ""
	case []any:
		for _, e := range x {
			if !IsEmpty(e) {
				return false
			}
		}
		return true
	case map[string]any:
		return len(x) == 0
	case Omit:
		return true
	}
	return false
}

// typeName names v's kind in errors.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "text"
	case bool:
		return "bool"
	case float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, json.Number:
		return "number"
	case time.Time:
		return "time"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	case Reference:
		return "reference"
	}
	return fmt.Sprintf("%T", v)
}

// wrongType is the error for a value of a kind a transform cannot take.
func wrongType(want string, v any) error {
	return fmt.Errorf("want %s, got %s", want, typeName(v))
}

// text renders scalars as text: strings as they are, numbers without
// exponent or trailing zeros (so "0045" stays text but 45.0 reads "45"),
// bools as true/false.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return formatFloat(x), true
	case float32:
		return formatFloat(float64(x)), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case uint:
		return strconv.FormatUint(uint64(x), 10), true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// number reads v as a float64 when it is a number (float, int or json.Number).
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// textT lifts a string function to a Transform: nil passes through,
// scalars are read as text, lists are mapped element by element, and an
// unchanged string keeps its original interface value (no allocation).
type textT struct {
	fn func(string) (string, error)
}

func textFunc(fn func(string) (string, error)) textT { return textT{fn: fn} }

// Apply runs the string function on v.
func (t textT) Apply(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		out, err := t.fn(x)
		if err != nil {
			return nil, err
		}
		if out == x {
			return v, nil
		}
		return out, nil
	case []any:
		return eachElement(x, t)
	}
	s, ok := text(v)
	if !ok {
		return nil, wrongType("text", v)
	}
	out, err := t.fn(s)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachElement applies t to every element of a list (several sources).
func eachElement(list []any, t Transform) (any, error) {
	out := make([]any, len(list))
	for i, e := range list {
		v, err := t.Apply(e)
		if err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

// display renders a value for an error message, shortened.
func display(v any) string {
	const limit = 64
	var s string
	switch x := v.(type) {
	case nil:
		return "(empty)"
	case string:
		return strconv.Quote(cut(x, limit))
	case time.Time:
		return x.Format(time.RFC3339Nano)
	default:
		if t, ok := text(v); ok {
			return t
		}
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprintf("%v", v)
		} else {
			s = string(b)
		}
	}
	return cut(s, limit)
}

// cut shortens s to at most limit bytes plus "...", on a character
// boundary so the message stays valid UTF-8.
func cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	return s[:limit] + "..."
}
