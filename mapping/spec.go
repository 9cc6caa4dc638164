package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Spec is a map as plain data: what JSON holds and what a user writes in
// Go. Compile turns it into a Map. Two Specs compare with go-cmp.
type Spec struct {
	// Name identifies the map in errors and explanations ("bamboohr-litmos").
	Name string `json:"name"`
	// Description says what the map is for and what it leaves to others.
	Description string `json:"description,omitempty"`
	// Options apply to every rule.
	Options Options `json:"options,omitempty"`
	// Rules run in order; each writes one target field.
	Rules []Rule `json:"rules"`
	// Absent lists output fields the map knowingly never writes, because
	// the source system has no such field (HiBob's people search has no
	// phone numbers). Apply ignores it. A map reading this map's output
	// (From, Compose) reads these fields as absent, where a field this map
	// neither writes nor lists is an error: a typo, or a field the source
	// lacks, is caught when the maps are put together, not by an empty
	// value in production.
	Absent []string `json:"absent,omitempty"`
	// From is the map whose output this map's rules read: the map applies
	// From to the record, then its own rules to From's output, in one pass
	// (see Compose, which builds such a map). Source paths then name
	// From's targets or its Absent fields; anything else fails to compile.
	From *Spec `json:"from,omitempty"`
}

// Options are map-level settings.
type Options struct {
	// OmitEmpty leaves every target whose value ends up empty absent from the
	// output, as if each rule ended with ignore-if-empty.
	OmitEmpty bool `json:"omit_empty,omitempty"`
	// SkipMissing tells "not in the record" from "empty in the record". A rule
	// whose every source path is absent from the input record writes no target at
	// all, so the target keeps its value, instead of the empty value it writes by
	// default (which a sync then copies on, clearing the target). A present null
	// or blank value still maps as empty. Use it when a source leaves out what its
	// credentials cannot see (BambooHR,
	// https://documentation.bamboohr.com/reference/get-employee), so a permission
	// change never wipes data.
	//
	// Exceptions: a Required rule with every source absent fails with
	// ErrRequired as usual; a Constant rule has no source and always
	// writes. Default is not applied to an absent source: it stands in for
	// an empty value, and writing it would overwrite the target just the
	// same.
	SkipMissing bool `json:"skip_missing,omitempty"`
	// SecretFields adds field-name fragments (matched case-insensitively,
	// ignoring '_', '-' and spaces) whose values are redacted in errors and
	// explanations, besides the built-in ones (password, secret, token, key,
	// ssn, tax, passport, birth, salary, ...).
	SecretFields []string `json:"secret_fields,omitempty"`
}

// isZero reports whether no option is set (the options are then left out
// of JSON).
func (o Options) isZero() bool {
	return !o.OmitEmpty && !o.SkipMissing && len(o.SecretFields) == 0
}

// When says in which writes a rule applies.
type When string

// The values of Rule.When. An empty When means WhenAlways.
const (
	WhenAlways When = "always"
	// WhenCreate applies the rule only when the target record is created,
	// like Entra's "Apply this mapping: only during object creation".
	WhenCreate When = "create"
)

// Rule writes one target field from one source path, several source paths
// or a constant, through a chain of transforms.
type Rule struct {
	// Target is the output field; a dotted path ("work.site",
	// "custom_fields.hireDate") writes into nested objects.
	Target string `json:"target"`
	// Source is one field path in the input record: "workEmail",
	// "work.department", "/work/title" or "fields.customLitmosAccess".
	Source string `json:"source,omitempty"`
	// Sources are several paths; the chain receives their values as a list
	// (join, coalesce, or per-element transforms). An absent path reads as
	// nil; under Options.SkipMissing the rule writes nothing only when
	// every path is absent.
	Sources []string `json:"sources,omitempty"`
	// Constant is a fixed value used instead of a source.
	Constant any `json:"constant,omitempty"`
	// Transforms run in order on the source value.
	Transforms []Step `json:"transforms,omitempty"`
	// Default replaces a value that ends up empty (nil, blank text, a list
	// of only empty elements, an empty object). With Options.SkipMissing
	// it does not replace a source absent from the record: that rule
	// writes nothing.
	Default any `json:"default,omitempty"`
	// Required makes an empty result an error for this field, and with
	// Options.SkipMissing also a source absent from the record.
	Required bool `json:"required,omitempty"`
	// When is WhenAlways (the default) or WhenCreate.
	When When `json:"when,omitempty"`
}

// Args are a transform's named arguments, as in JSON.
type Args map[string]any

// Step names a transform and its arguments. In JSON a step without
// arguments is written as its bare name: "trim".
type Step struct {
	Name string `json:"name"`
	Args Args   `json:"args,omitempty"`
}

// T is shorthand for a Step: T("lower"), T("prefix", "value", "dept-").
// kv alternates argument names and values; an odd trailing name is ignored.
func T(name string, kv ...any) Step {
	s := Step{Name: name}
	for i := 0; i+1 < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			continue
		}
		if s.Args == nil {
			s.Args = Args{}
		}
		s.Args[k] = kv[i+1]
	}
	return s
}

// MarshalJSON writes a step without arguments as its bare name.
func (s Step) MarshalJSON() ([]byte, error) {
	if len(s.Args) == 0 {
		return json.Marshal(s.Name)
	}
	type plain Step
	return json.Marshal(plain(s))
}

// UnmarshalJSON reads a bare name or a {"name", "args"} object; unknown
// keys are an error.
func (s *Step) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*s = Step{}
		return json.Unmarshal(b, &s.Name)
	}
	if len(b) == 0 || b[0] != '{' {
		return fmt.Errorf("transform step: want a name or an object, got %s", preview(b))
	}
	type plain Step
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("transform step: %w", err)
	}
	*s = Step(p)
	return nil
}

func preview(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "..."
	}
	return string(b)
}

// MarshalJSON leaves out empty options.
func (s Spec) MarshalJSON() ([]byte, error) {
	type plain struct {
		Name        string   `json:"name"`
		Description string   `json:"description,omitempty"`
		Options     *Options `json:"options,omitempty"`
		Rules       []Rule   `json:"rules"`
		Absent      []string `json:"absent,omitempty"`
		From        *Spec    `json:"from,omitempty"`
	}
	p := plain{Name: s.Name, Description: s.Description, Rules: s.Rules, Absent: s.Absent, From: s.From}
	if !s.Options.isZero() {
		o := s.Options
		p.Options = &o
	}
	if p.Rules == nil {
		p.Rules = []Rule{}
	}
	return json.Marshal(p)
}

// clone returns a deep copy of the spec, so a Map never shares slices or
// maps with its caller.
func (s Spec) clone() Spec {
	out := s
	out.Options.SecretFields = append([]string(nil), s.Options.SecretFields...)
	out.Absent = append([]string(nil), s.Absent...)
	if s.From != nil {
		from := s.From.clone()
		out.From = &from
	}
	out.Rules = make([]Rule, len(s.Rules))
	for i, r := range s.Rules {
		if r.Sources != nil {
			r.Sources = append([]string{}, r.Sources...)
		}
		r.Constant = deepCopy(r.Constant)
		r.Default = deepCopy(r.Default)
		steps := make([]Step, len(r.Transforms))
		for j, st := range r.Transforms {
			steps[j] = Step{Name: st.Name}
			if st.Args != nil {
				steps[j].Args = deepCopy(map[string]any(st.Args)).(map[string]any)
			}
		}
		if len(r.Transforms) == 0 {
			steps = nil // "transforms": [] and no transforms are the same map
		}
		r.Transforms = steps
		out.Rules[i] = r
	}
	if s.Rules == nil {
		out.Rules = nil
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case Args:
		return Args(deepCopy(map[string]any(x)).(map[string]any))
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	default:
		return v
	}
}
