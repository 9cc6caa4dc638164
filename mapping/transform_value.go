package mapping

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// lookupT is a value table (Entra's Switch).
type lookupT struct {
	table      map[string]any
	def        any
	hasDef     bool
	ignoreCase bool
	raw        map[string]any
}

// newLookup: Args: table (object, text keys → any JSON value; required),
// default (used for a value not in the table; without it such a value is
// an error), ignore_case (bool). Numbers and bools are looked up by their
// text ("1", "true"); empty input stays empty.
func newLookup(args Args) (Transform, error) {
	var a struct {
		Table      map[string]any `json:"table"`
		IgnoreCase bool           `json:"ignore_case"`
		Default    any            `json:"default"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	if len(a.Table) == 0 {
		return nil, errors.New("argument \"table\" is required and must not be empty")
	}
	t := lookupT{table: make(map[string]any, len(a.Table)), def: a.Default, ignoreCase: a.IgnoreCase, raw: a.Table}
	_, t.hasDef = args["default"]
	for k, v := range a.Table {
		if a.IgnoreCase {
			k = strings.ToLower(k)
		}
		if _, dup := t.table[k]; dup {
			return nil, fmt.Errorf("table keys %q collide when case is ignored", k)
		}
		t.table[k] = v
	}
	return t, nil
}

func (t lookupT) Apply(v any) (any, error) {
	if list, ok := v.([]any); ok {
		return eachElement(list, t)
	}
	if IsEmpty(v) {
		return nil, nil
	}
	k, ok := text(v)
	if !ok {
		return nil, wrongType("text", v)
	}
	k = strings.TrimSpace(k)
	if t.ignoreCase {
		k = strings.ToLower(k)
	}
	if out, ok := t.table[k]; ok {
		return out, nil
	}
	if t.hasDef {
		return t.def, nil
	}
	return nil, errors.New("value not in the lookup table and no default")
}

// Invert swaps keys and values when the table is one-to-one on text
// values and has no default.
func (t lookupT) Invert() (*Step, error) {
	if t.hasDef {
		return nil, errors.New("lookup with a default maps many values to one")
	}
	inv := make(map[string]any, len(t.raw))
	for _, k := range slices.Sorted(maps.Keys(t.raw)) {
		s, ok := text(t.raw[k])
		if !ok {
			return nil, fmt.Errorf("lookup value for %q is not text, number or bool", k)
		}
		if t.ignoreCase {
			s = strings.ToLower(s)
		}
		if prev, dup := inv[s]; dup {
			return nil, fmt.Errorf("lookup is not one-to-one: %q and %q both give %q", prev, k, s)
		}
		inv[s] = k
	}
	st := T("lookup", "table", inv)
	if t.ignoreCase {
		st.Args["ignore_case"] = true
	}
	return &st, nil
}

// coalesce picks the first non-empty element of a list.
func coalesce(v any) (any, error) {
	list, ok := v.([]any)
	if !ok {
		if IsEmpty(v) {
			return nil, nil
		}
		return v, nil
	}
	for _, e := range list {
		if !IsEmpty(e) {
			return e, nil
		}
	}
	return nil, nil
}

type constantT struct{ value any }

func (c constantT) Apply(any) (any, error) { return c.value, nil }

// newConstant: Args: value (required, any JSON value).
func newConstant(args Args) (Transform, error) {
	v, ok := args["value"]
	if !ok || len(args) != 1 {
		return nil, errors.New("constant takes exactly one argument, \"value\"")
	}
	return constantT{value: v}, nil
}

// Vendor spellings of a ticked box or a yes (BambooHR "yes"/"checkbox",
// https://documentation.bamboohr.com/docs/field-types; TalentLMS "on"/"off",
// https://github.com/ib1984/py-talentlms; Litmos "true"/"false" in
// https://api.sap.com/api/LitmosAPIdetails/overview).
var boolWords = map[string]bool{
	"true": true, "t": true, "yes": true, "y": true, "1": true, "on": true, "checked": true, "checkbox": true,
	"false": false, "f": false, "no": false, "n": false, "0": false, "off": false, "unchecked": false,
}

// toBool reads the vendors' spellings of a boolean; empty stays empty.
func toBool(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool:
		return v, nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return nil, nil
		}
		if b, ok := boolWords[strings.ToLower(s)]; ok {
			return b, nil
		}
		return nil, errors.New("not a recognised yes/no value (true/false, yes/no, 1/0, on/off, checked)")
	case []any:
		return eachElement(x, Func(toBool))
	}
	if f, ok := number(v); ok {
		switch f {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
		return nil, errors.New("a number is a bool only when 0 or 1")
	}
	return nil, wrongType("bool or text", v)
}

// toString renders scalars as text; times as RFC 3339.
func toString(v any) (any, error) {
	switch x := v.(type) {
	case nil, string:
		return v, nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	case Reference:
		return x.Key, nil
	case []any:
		return eachElement(x, Func(toString))
	}
	if s, ok := text(v); ok {
		return s, nil
	}
	return nil, wrongType("text, number, bool or time", v)
}

// identity is a transform that reverses to itself (email validation,
// ignore-if-empty).
type identity struct {
	Transform
	name string
}

// emailT validates addresses; it reverses to itself.
type emailT struct{ textT }

func (emailT) Invert() (*Step, error) { return &Step{Name: "email"}, nil }

func (t identity) Invert() (*Step, error) { return &Step{Name: t.name}, nil }

// ignoreIfEmpty leaves the target absent when the value is empty.
func ignoreIfEmpty(v any) (any, error) {
	if IsEmpty(v) {
		return Omit{}, nil
	}
	return v, nil
}

// Reference is the value of the reference transform: a pointer to a record
// by its key in the source system. The sync engine translates it to the
// target system's id through its link table.
type Reference struct {
	// Collection names the referenced records ("users", "teams").
	Collection string `json:"collection"`
	// Key is the referenced record's id in the source system.
	Key string `json:"key"`
}

// Reference returns the collection and the source-system id.
func (r Reference) Reference() (collection, id string) { return r.Collection, r.Key }

// String prints collection/key.
func (r Reference) String() string { return r.Collection + "/" + r.Key }

type referenceT struct{ collection string }

// newReference: Args: collection (required). Text or a number becomes a
// Reference; empty stays empty; a list gives a list of references.
func newReference(args Args) (Transform, error) {
	var a struct {
		Collection string `json:"collection"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	if a.Collection == "" {
		return nil, errors.New("argument \"collection\" is required")
	}
	return referenceT{collection: a.Collection}, nil
}

func (t referenceT) Apply(v any) (any, error) {
	if list, ok := v.([]any); ok {
		return eachElement(list, t)
	}
	if r, ok := v.(Reference); ok {
		return Reference{Collection: t.collection, Key: r.Key}, nil
	}
	if IsEmpty(v) {
		return nil, nil
	}
	k, ok := text(v)
	if !ok {
		return nil, wrongType("an id as text or number", v)
	}
	return Reference{Collection: t.collection, Key: strings.TrimSpace(k)}, nil
}

func (t referenceT) Invert() (*Step, error) {
	s := T("reference", "collection", t.collection)
	return &s, nil
}

func builtins() map[string]Factory {
	return map[string]Factory{
		"lower":                noArgs("lower", lowerT()),
		"upper":                noArgs("upper", upperT()),
		"trim":                 noArgs("trim", trimT()),
		"title":                newTitle,
		"normalize-diacritics": noArgs("normalize-diacritics", diacriticsT()),
		"split":                newSplit,
		"join":                 newJoin,
		"substring":            newSubstring,
		"regex-replace":        newRegexReplace,
		"prefix":               newAffix(false),
		"suffix":               newAffix(true),
		"date":                 newDate,
		"lookup":               newLookup,
		"coalesce":             noArgs("coalesce", Func(coalesce)),
		"constant":             newConstant,
		"to-bool":              noArgs("to-bool", Func(toBool)),
		"to-string":            noArgs("to-string", Func(toString)),
		"email":                noArgs("email", emailT{textFunc(validateEmail)}),
		"ignore-if-empty":      noArgs("ignore-if-empty", identity{Func(ignoreIfEmpty), "ignore-if-empty"}),
		"reference":            newReference,
	}
}
