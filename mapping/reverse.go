package mapping

import (
	"errors"
	"fmt"
	"strings"
)

// NotInvertible names a rule that Reverse cannot undo and why.
type NotInvertible struct {
	Rule   int
	Target string
	Reason string
}

// ReverseError lists every rule that cannot be reversed.
type ReverseError struct {
	Map   string
	Rules []NotInvertible
}

// Error reads like: mapping "x": cannot reverse: rule 2 (Active): lookup with a default maps many values to one; rule 5 ...
func (e *ReverseError) Error() string {
	parts := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		parts[i] = fmt.Sprintf("rule %d (%s): %s", r.Rule, r.Target, r.Reason)
	}
	return fmt.Sprintf("mapping %q: cannot reverse: %s", e.Map, strings.Join(parts, "; "))
}

// Reverse returns the map that carries the target system's fields back to
// the source system, for two-way jobs. A rule reverses when it reads one
// path, has no default, and every step can be undone: renames, steps that
// only change case or surrounding space (the values compare equal ignoring
// them), email validation, one-to-one lookups, date layout pairs,
// split/join pairs and references. A date pair reverses only when the
// output layout keeps everything the input layout carries ("date" to
// "talentlms" does; "rfc3339" to "date" drops the time and does not).
// A reversed lookup gives back the table's keys, which are text: a bool or
// number that went in comes back as its text ("false"), so add to-bool
// to the reversed rule where the other side wants a bool. Steps run in the
// opposite order. The reversed map keeps the rules' Required and When, and
// is compiled with the same registry as opts give. Any rule that cannot be reversed makes
// the result a *ReverseError listing all of them.
//
// A composed map (Compose) reverses to the composition of the reversed
// maps in the other order: the reverse of first then second is the reverse
// of second, then the reverse of first.
func (m *Map) Reverse(opts ...Option) (*Map, error) {
	if m.from != nil {
		return m.reverseComposed(opts)
	}
	rev := Spec{
		Name:        m.spec.Name + "-reversed",
		Description: "Reverse of " + m.spec.Name + ".",
		Options:     m.spec.Options,
	}
	var bad []NotInvertible
	for i := range m.rules {
		r, err := m.reverseRule(&m.rules[i])
		if err != nil {
			bad = append(bad, NotInvertible{Rule: m.rules[i].index, Target: m.rules[i].target.raw, Reason: err.Error()})
			continue
		}
		rev.Rules = append(rev.Rules, r)
	}
	if len(bad) > 0 {
		return nil, &ReverseError{Map: m.spec.Name, Rules: bad}
	}
	out, err := Compile(rev, opts...)
	if err != nil {
		return nil, fmt.Errorf("mapping %q: reverse: %w", m.spec.Name, err)
	}
	return out, nil
}

func (m *Map) reverseRule(r *rule) (Rule, error) {
	switch {
	case r.kind == fromPaths:
		return Rule{}, errors.New("reads several sources")
	case r.kind == fromConstant:
		return Rule{}, errors.New("writes a constant")
	case r.hasDef:
		return Rule{}, errors.New("has a default, which would flow back as data")
	}
	spec := m.spec.Rules[r.index]
	out := Rule{Target: spec.Source, Source: spec.Target, Required: spec.Required, When: spec.When}
	for j := len(r.steps) - 1; j >= 0; j-- {
		inv, ok := r.steps[j].t.(Inverter)
		if !ok {
			return Rule{}, fmt.Errorf("transform %s cannot be undone", r.steps[j].name)
		}
		st, err := inv.Invert()
		if err != nil {
			return Rule{}, fmt.Errorf("transform %s: %w", r.steps[j].name, err)
		}
		if st != nil {
			out.Transforms = append(out.Transforms, *st)
		}
	}
	return out, nil
}

func (m *Map) reverseComposed(opts []Option) (*Map, error) {
	outer := m.spec.clone()
	outer.From = nil
	alone, err := compileWith(outer, m.reg, nil)
	if err != nil {
		return nil, fmt.Errorf("mapping %q: reverse: %w", m.spec.Name, err)
	}
	second, err := alone.Reverse(opts...)
	if err != nil {
		return nil, err
	}
	first, err := m.from.Reverse(opts...)
	if err != nil {
		return nil, err
	}
	out, err := Compose(second, first)
	if err != nil {
		return nil, fmt.Errorf("mapping %q: reverse: %w", m.spec.Name, err)
	}
	out.spec.Name = m.spec.Name + "-reversed"
	out.spec.Description = "Reverse of " + m.spec.Name + "."
	return out, nil
}
