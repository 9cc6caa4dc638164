// Package mappingtest helps users test their field maps: assert that a map
// turns a record into exactly the expected fields in one call, with a
// go-cmp diff and an explanation on failure, and explain per target field
// which rule produced it from which source value.
package mappingtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/mapping"
)

// AssertMap fails t unless m maps input (as for a create) to exactly want
// with no error. On failure it reports the go-cmp diff (-want +got), any
// field errors, and the explanation of every rule. opts are passed to
// cmp.Diff. It returns whether the assertion held.
func AssertMap(t testing.TB, m *mapping.Map, input, want map[string]any, opts ...cmp.Option) bool {
	t.Helper()
	return AssertMapMode(t, m, mapping.Create, input, want, opts...)
}

// AssertMapMode is AssertMap for the given mode (mapping.Update leaves out
// create-only rules).
func AssertMapMode(t testing.TB, m *mapping.Map, mode mapping.Mode, input, want map[string]any, opts ...cmp.Option) bool {
	t.Helper()
	got, err := m.ApplyMode(input, mode)
	diff := cmp.Diff(want, got, opts...)
	if err == nil && diff == "" {
		return true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "mapping %q:", m.Name())
	if err != nil {
		fmt.Fprintf(&b, "\nfield errors:\n%v", err)
	}
	if diff != "" {
		fmt.Fprintf(&b, "\nfields (-want +got):\n%s", diff)
	}
	fmt.Fprintf(&b, "\n%s", ExplainMode(m, input, mode))
	t.Error(b.String())
	return false
}

// AssertErrors fails t unless applying m to input fails exactly for the
// given target fields, in rule order. It returns whether the assertion held.
func AssertErrors(t testing.TB, m *mapping.Map, input map[string]any, targets ...string) bool {
	t.Helper()
	_, err := m.Apply(input)
	var errs mapping.Errors
	if err != nil && !errors.As(err, &errs) {
		t.Errorf("mapping %q: error is %T, want mapping.Errors: %v", m.Name(), err, err)
		return false
	}
	got := errs.Targets()
	if len(got) == 0 {
		got = nil
	}
	if len(targets) == 0 {
		targets = nil
	}
	if diff := cmp.Diff(targets, got); diff != "" {
		t.Errorf("mapping %q: failed targets (-want +got):\n%s\nerrors:\n%v\n%s", m.Name(), diff, err, Explain(m, input))
		return false
	}
	return true
}

// Explanation says, per rule, which target it wrote from which source
// value. Print it with String.
type Explanation struct {
	// Map is the map's name.
	Map string
	// Mode is the write the explanation is for.
	Mode mapping.Mode
	// Lines holds one line per rule, in rule order.
	Lines []Line
}

// Line is one rule's part in an explanation.
type Line struct {
	// Target is the field the rule writes; Rule its index.
	Target string
	Rule   int
	// Source is the path, paths or "constant" the value came from.
	Source string
	// In and Out are the source value and the value written (REDACTED for
	// secret-looking fields).
	In, Out any
	// Steps are the transform names applied.
	Steps []string
	// Via names the intermediate fields a composed map (mapping.Compose)
	// read, such as the canonical person's "email.work"; nil otherwise.
	Via []string
	// Result is "written", "default", "omitted", "skipped (create only)" or
	// "error: ...".
	Result string
}

// Explain runs m on input as for a create and explains every rule.
func Explain(m *mapping.Map, input map[string]any) Explanation {
	return ExplainMode(m, input, mapping.Create)
}

// ExplainMode is Explain for the given mode.
func ExplainMode(m *mapping.Map, input map[string]any, mode mapping.Mode) Explanation {
	e := Explanation{Map: m.Name(), Mode: mode}
	for _, tr := range m.Trace(input, mode) {
		l := Line{Target: tr.Target, Rule: tr.Rule, Source: tr.Source, In: tr.In, Out: tr.Out, Steps: tr.Steps, Via: tr.Via}
		switch {
		case tr.Skipped:
			l.Result = "skipped (create only)"
		case tr.Err != nil:
			l.Result = "error: " + causeOf(tr.Err)
		case tr.Omitted:
			l.Result = "omitted"
		case tr.Defaulted:
			l.Result = "default"
		default:
			l.Result = "written"
		}
		e.Lines = append(e.Lines, l)
	}
	return e
}

func causeOf(err error) string {
	var fe *mapping.FieldError
	if errors.As(err, &fe) {
		if fe.Step != "" {
			return fe.Step + ": " + fe.Err.Error()
		}
		return fe.Err.Error()
	}
	return err.Error()
}

// String prints one rule a line, with the intermediate fields of a
// composed map after "via":
//
//	UserName  ← rule 0  workEmail " Ana@X.com " | trim | lower | email → "ana@x.com"
//	UserName  ← rule 0  workEmail " Ana@X.com " via email.work | trim | lower | email | trim | lower | email → "ana@x.com"
func (e Explanation) String() string {
	var b strings.Builder
	mode := "create"
	if e.Mode == mapping.Update {
		mode = "update"
	}
	fmt.Fprintf(&b, "explain %q (%s):\n", e.Map, mode)
	width := 0
	for _, l := range e.Lines {
		width = max(width, len(l.Target))
	}
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "  %-*s ← rule %-2d %s", width, l.Target, l.Rule, l.Source)
		if l.Result == "skipped (create only)" {
			b.WriteString("  skipped (create only)\n")
			continue
		}
		if l.Source != "constant" {
			b.WriteString(" " + show(l.In))
		}
		if len(l.Via) > 0 {
			b.WriteString(" via " + strings.Join(l.Via, ", "))
		}
		for _, s := range l.Steps {
			b.WriteString(" | " + s)
		}
		switch {
		case strings.HasPrefix(l.Result, "error: "):
			b.WriteString("  ✗ " + l.Result)
		case l.Result == "omitted":
			b.WriteString("  omitted")
		default:
			b.WriteString(" → " + show(l.Out))
			if l.Result == "default" {
				b.WriteString(" (default)")
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "(empty)"
	case string:
		if x == mapping.Redacted {
			return x
		}
		return strconv.Quote(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case mapping.Reference:
		return "ref " + x.String()
	case fmt.Stringer:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}
