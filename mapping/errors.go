package mapping

import (
	"errors"
	"fmt"
	"strings"
)

// ErrRequired is wrapped by the FieldError of a Required rule whose value
// ended up empty.
var ErrRequired = errors.New("required value is empty")

// Redacted replaces a value in errors and explanations when its field name
// looks secret.
const Redacted = "REDACTED"

// FieldError is one rule's failure in Apply.
type FieldError struct {
	// Map is the map's name.
	Map string
	// Rule is the rule's index in the map.
	Rule int
	// Target is the rule's target field.
	Target string
	// Source names where the value came from: a path, paths joined by ", ",
	// or "constant". For a composed map (Compose) it is the original
	// record's path, not the intermediate field, whichever map's rule
	// failed.
	Source string
	// Value is the source value as printed in the message, or Redacted when
	// the source or target field name looks secret.
	Value string
	// Step is the transform that failed ("" when the failure is ErrRequired).
	Step string
	// Err is the cause.
	Err error
}

// Error reads like:
// mapping "bamboohr-litmos": rule 0 → UserName (from workEmail "ana@"): email: invalid email address: nothing after @
func (e *FieldError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mapping %q: rule %d → %s (from %s %s): ", e.Map, e.Rule, e.Target, e.Source, e.Value)
	if e.Step != "" {
		b.WriteString(e.Step)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// FieldTarget returns the failed rule's target field, so a caller that does
// not import mapping (syncengine.FieldTargetError) can tell which target an
// error is about.
func (e *FieldError) FieldTarget() string { return e.Target }

// FieldSource returns where the failed rule's value came from (a path,
// paths joined by ", ", or "constant"), so a caller that does not import
// mapping (syncengine.FieldSourceError) can name it.
func (e *FieldError) FieldSource() string { return e.Source }

// Errors is the error Apply returns: one FieldError per failed rule, in
// rule order. errors.Is and errors.As see each of them.
type Errors []*FieldError

// Error joins the field errors, one per line.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the field errors.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Targets lists the failed target fields.
func (es Errors) Targets() []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Target
	}
	return out
}

// RuleError is one problem found when a map is compiled or loaded.
type RuleError struct {
	// Rule is the rule's index; -1 for a problem with the map itself.
	Rule int
	// Target is the rule's target field as written.
	Target string
	// Part is what was wrong: "target", "source", "sources[1]", "when",
	// "transforms[2] date", ...
	Part string
	// Err is the cause.
	Err error
}

// Error reads like: rule 3 (target "HireDate"): transforms[0] date: layout "x" has no date or time elements
func (e *RuleError) Error() string {
	if e.Rule < 0 {
		return fmt.Sprintf("%s: %v", e.Part, e.Err)
	}
	return fmt.Sprintf("rule %d (target %q): %s: %v", e.Rule, e.Target, e.Part, e.Err)
}

// Unwrap returns the cause.
func (e *RuleError) Unwrap() error { return e.Err }

// SpecError lists every problem found in a map, so one load shows them all.
type SpecError struct {
	// Map is the map's name.
	Map string
	// Problems are in rule order.
	Problems []*RuleError
}

// Error joins the problems under the map's name.
func (e *SpecError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return fmt.Sprintf("mapping %q: %s", e.Map, strings.Join(parts, "; "))
}

// Unwrap returns the problems.
func (e *SpecError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// secretFragments are field-name fragments whose values never appear in errors:
// credentials and the personal data sync maps carry (TalentHR's ssn and
// birth_date,
// https://github.com/PipedreamHQ/pipedream/tree/master/components/talenthr).
var secretFragments = []string{
	"password", "passwd", "secret", "token", "key", "credential", "signature",
	"ssn", "socialsecurity", "tax", "passport", "birth", "salary", "iban",
}

func normalizeFieldName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// looksSecret reports whether any of names contains a secret fragment.
func looksSecret(extra []string, names ...string) bool {
	for _, n := range names {
		n = normalizeFieldName(n)
		for _, f := range secretFragments {
			if strings.Contains(n, f) {
				return true
			}
		}
		for _, f := range extra {
			if f = normalizeFieldName(f); f != "" && strings.Contains(n, f) {
				return true
			}
		}
	}
	return false
}
