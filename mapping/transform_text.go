package mapping

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// caseless is a transform whose reverse is "no step": the values compare
// equal ignoring case or surrounding space (lower, upper, trim, title).
type caseless struct{ textT }

func (caseless) Invert() (*Step, error) { return nil, nil }

func noArgs(name string, t Transform) Factory {
	return func(args Args) (Transform, error) {
		if len(args) != 0 {
			return nil, fmt.Errorf("%s takes no arguments", name)
		}
		return t, nil
	}
}

func lowerT() Transform {
	return caseless{textFunc(func(s string) (string, error) { return strings.ToLower(s), nil })}
}

func upperT() Transform {
	return caseless{textFunc(func(s string) (string, error) { return strings.ToUpper(s), nil })}
}

func trimT() Transform {
	return caseless{textFunc(func(s string) (string, error) { return strings.TrimSpace(s), nil })}
}

func diacriticsT() Transform {
	return textFunc(func(s string) (string, error) { return normalizeDiacritics(s), nil })
}

// newTitle: title case, each word's first letter upper and the rest lower
// (Entra's PCase). Args: separators (default " \t-'", which gives
// "Mary-Jane O'Neil").
func newTitle(args Args) (Transform, error) {
	var a struct {
		Separators *string `json:"separators"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	seps := " \t-'"
	if a.Separators != nil {
		seps = *a.Separators
	}
	return caseless{textFunc(func(s string) (string, error) { return titleCase(s, seps), nil })}, nil
}

func titleCase(s, seps string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := true
	for _, r := range s {
		if strings.ContainsRune(seps, r) {
			start = true
			b.WriteRune(r)
			continue
		}
		if start {
			b.WriteRune(unicode.ToTitle(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = false
	}
	if b.String() == s {
		return s
	}
	return b.String()
}

// newSubstring: runes [start, start+length). Args: start (>= 0), length
// (optional, >= 0; to the end when absent). A start past the end gives "".
func newSubstring(args Args) (Transform, error) {
	var a struct {
		Start  *int `json:"start"`
		Length *int `json:"length"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	if a.Start == nil || *a.Start < 0 {
		return nil, errors.New("argument \"start\" is required and must be >= 0")
	}
	if a.Length != nil && *a.Length < 0 {
		return nil, errors.New("argument \"length\" must be >= 0")
	}
	start, length := *a.Start, -1
	if a.Length != nil {
		length = *a.Length
	}
	return textFunc(func(s string) (string, error) { return runeSlice(s, start, length), nil }), nil
}

func runeSlice(s string, start, length int) string {
	i, from := 0, len(s)
	for pos := range s {
		if i == start {
			from = pos
			break
		}
		i++
	}
	if length < 0 {
		return s[from:]
	}
	rest := s[from:]
	n := 0
	for pos := range rest {
		if n == length {
			return rest[:pos]
		}
		n++
	}
	return rest
}

// newRegexReplace: Go regexp replace-all. Args: pattern (RE2 syntax),
// replacement (with $1 / ${name} references).
func newRegexReplace(args Args) (Transform, error) {
	var a struct {
		Pattern     *string `json:"pattern"`
		Replacement string  `json:"replacement"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	if a.Pattern == nil || *a.Pattern == "" {
		return nil, errors.New("argument \"pattern\" is required")
	}
	re, err := regexp.Compile(*a.Pattern)
	if err != nil {
		return nil, fmt.Errorf("argument \"pattern\": %w", err)
	}
	return textFunc(func(s string) (string, error) { return re.ReplaceAllString(s, a.Replacement), nil }), nil
}

// newAffix: prefix or suffix. Args: value (required). Empty text stays empty.
func newAffix(suffix bool) Factory {
	return func(args Args) (Transform, error) {
		var a struct {
			Value *string `json:"value"`
		}
		if err := DecodeArgs(args, &a); err != nil {
			return nil, err
		}
		if a.Value == nil {
			return nil, errors.New("argument \"value\" is required")
		}
		add := *a.Value
		return textFunc(func(s string) (string, error) {
			switch {
			case s == "":
				return s, nil
			case suffix:
				return s + add, nil
			}
			return add + s, nil
		}), nil
	}
}

// splitT splits text into a list, or picks one element.
type splitT struct {
	sep   string
	index *int
}

// newSplit: Args: sep (required, non-empty), index (optional; negative
// counts from the end; out of range gives empty).
func newSplit(args Args) (Transform, error) {
	var a struct {
		Sep   *string `json:"sep"`
		Index *int    `json:"index"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	if a.Sep == nil || *a.Sep == "" {
		return nil, errors.New("argument \"sep\" is required and must not be empty")
	}
	return splitT{sep: *a.Sep, index: a.Index}, nil
}

func (t splitT) Apply(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := text(v) // numbers and bools read as text, like the other text transforms
	if !ok {
		return nil, wrongType("text", v)
	}
	if t.index != nil {
		return pick(s, t.sep, *t.index), nil
	}
	parts := strings.Split(s, t.sep)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func pick(s, sep string, i int) any {
	parts := strings.Split(s, sep)
	if i < 0 {
		i += len(parts)
	}
	if i < 0 || i >= len(parts) {
		return nil
	}
	return parts[i]
}

func (t splitT) Invert() (*Step, error) {
	if t.index != nil {
		return nil, errors.New("split with an index keeps only one part")
	}
	s := T("join", "sep", t.sep)
	return &s, nil
}

// joinT joins a list's non-empty elements with sep.
type joinT struct{ sep string }

// newJoin: Args: sep (default ""). Empty elements are skipped, so a missing
// middle name leaves no double space.
func newJoin(args Args) (Transform, error) {
	var a struct {
		Sep string `json:"sep"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	return joinT{sep: a.Sep}, nil
}

func (t joinT) Apply(v any) (any, error) {
	list, ok := v.([]any)
	if !ok {
		if _, isText := text(v); isText || v == nil {
			return v, nil
		}
		return nil, wrongType("list or text", v)
	}
	var b strings.Builder
	n := 0
	for i, e := range list {
		if IsEmpty(e) {
			continue
		}
		s, ok := text(e)
		if !ok {
			return nil, fmt.Errorf("element %d: %w", i, wrongType("text", e))
		}
		if n > 0 {
			b.WriteString(t.sep)
		}
		b.WriteString(s)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return b.String(), nil
}

func (t joinT) Invert() (*Step, error) {
	if t.sep == "" {
		return nil, errors.New("join without a separator cannot be split again")
	}
	s := T("split", "sep", t.sep)
	return &s, nil
}
