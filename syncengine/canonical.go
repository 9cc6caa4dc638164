package syncengine

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Canonical returns the form in which the engine compares a value across
// systems: nil and "" are equal; a time.Time at midnight UTC is its date
// ("2006-01-02"), any other time is RFC 3339 in UTC; bools are "true" or
// "false"; numbers print without trailing zeros (3.50 → "3.5", 2.0 → "2");
// slices keep their order and maps sort their keys.
func Canonical(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return canonicalFloat(v)
	case float32:
		return canonicalFloat(float64(v))
	case json.Number:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return canonicalFloat(f)
		}
		return string(v)
	case time.Time:
		return canonicalTime(v)
	case *time.Time:
		if v == nil {
			return ""
		}
		return canonicalTime(*v)
	case *string:
		if v == nil {
			return ""
		}
		return *v
	case []string:
		return "[" + strings.Join(v, ", ") + "]"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = Canonical(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return canonicalMap(v)
	case interface{ Reference() (string, string) }:
		c, id := v.Reference()
		return c + "/" + id
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

func canonicalFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func canonicalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	u := t.UTC()
	if u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
		return u.Format(time.DateOnly)
	}
	return u.Format(time.RFC3339Nano)
}

func canonicalMap(m map[string]any) string {
	keys := slices.Sorted(maps.Keys(m))
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(Canonical(m[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// fold is the match-key normal form: trimmed and lower-cased.
func fold(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// discardHandler drops every log record (slog.DiscardHandler needs Go 1.24).
type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
