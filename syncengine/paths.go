package syncengine

import (
	"errors"
	"strings"
)

// fieldAt reads a field by name, or by dotted path into nested maps
// ("custom.shirt_size") when no field has the whole name.
func fieldAt(fields map[string]any, name string) any {
	if v, ok := fields[name]; ok || !strings.Contains(name, ".") {
		return v
	}
	head, rest, _ := strings.Cut(name, ".")
	inner, ok := fields[head].(map[string]any)
	if !ok {
		return nil
	}
	return fieldAt(inner, rest)
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// setPath sets a changed field: a dotted name ("custom.shirt_size", as the
// planner names a leaf of a nested map) goes into nested maps, so the
// connector gets only the changed leaves of each nested field.
func setPath(fields map[string]any, name string, v any) {
	head, rest, nested := strings.Cut(name, ".")
	if !nested {
		fields[name] = v
		return
	}
	inner, ok := fields[head].(map[string]any)
	if !ok {
		inner = map[string]any{}
		fields[head] = inner
	}
	setPath(inner, rest, v)
}
