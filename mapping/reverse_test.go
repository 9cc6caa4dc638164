package mapping

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReverse(t *testing.T) {
	m := mustCompile(t, Spec{Name: "hr-lms", Rules: []Rule{
		{Target: "email", Source: "workEmail", Transforms: []Step{T("trim"), T("lower"), T("email")}, Required: true},
		{Target: "login", Source: "username", When: WhenCreate},
		{Target: "status", Source: "state", Transforms: []Step{T("lookup", "table", map[string]any{"Active": "active", "Inactive": "inactive"})}},
		{Target: "custom_fields.hireDate", Source: "work.startDate", Transforms: []Step{T("date", "from", "date", "to", "talentlms")}},
		{Target: "joined", Source: "created", Transforms: []Step{T("date", "from", "rfc3339")}},
		{Target: "tags", Source: "tagList", Transforms: []Step{T("join", "sep", ";")}},
		{Target: "manager", Source: "managerId", Transforms: []Step{T("reference", "collection", "users")}},
	}})
	rev, err := m.Reverse()
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{Name: "hr-lms-reversed", Description: "Reverse of hr-lms.", Rules: []Rule{
		{Target: "workEmail", Source: "email", Transforms: []Step{T("email")}, Required: true},
		{Target: "username", Source: "login", When: WhenCreate},
		{Target: "state", Source: "status", Transforms: []Step{T("lookup", "table", map[string]any{"active": "Active", "inactive": "Inactive"})}},
		{Target: "work.startDate", Source: "custom_fields.hireDate", Transforms: []Step{T("date", "from", "talentlms", "to", "date")}},
		{Target: "created", Source: "joined", Transforms: []Step{T("date", "to", "rfc3339")}},
		{Target: "tagList", Source: "tags", Transforms: []Step{T("split", "sep", ";")}},
		{Target: "managerId", Source: "manager", Transforms: []Step{T("reference", "collection", "users")}},
	}}
	if diff := cmp.Diff(want, rev.Spec()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Forward then reverse gives the source back (modulo case and space).
	src := map[string]any{
		"workEmail": "ana@x.co", "username": "ana", "state": "Inactive",
		"work":    map[string]any{"startDate": "2024-02-03"},
		"created": "2024-01-02T03:04:05Z", "tagList": []any{"a", "b"}, "managerId": "9",
	}
	fwd, err := m.Apply(src)
	if err != nil {
		t.Fatal(err)
	}
	back, err := rev.Apply(fwd)
	if err != nil {
		t.Fatal(err)
	}
	wantBack := map[string]any{
		"workEmail": "ana@x.co", "username": "ana", "state": "Inactive",
		"work":    map[string]any{"startDate": "2024-02-03"},
		"created": "2024-01-02T03:04:05Z", "tagList": []any{"a", "b"},
		"managerId": Reference{Collection: "users", Key: "9"},
	}
	if diff := cmp.Diff(wantBack, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if _, ok := fwd["joined"].(time.Time); !ok {
		t.Errorf("joined = %T", fwd["joined"])
	}
}

func TestReverseErrors(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "ok", Source: "ok"},
		{Target: "full", Sources: []string{"a", "b"}, Transforms: []Step{T("join", "sep", " ")}},
		{Target: "level", Constant: "Learner"},
		{Target: "city", Source: "city", Default: "Unknown"},
		{Target: "active", Source: "status", Transforms: []Step{T("lookup", "table", map[string]any{"Active": true}, "default", false)}},
		{Target: "kind", Source: "type", Transforms: []Step{T("lookup", "table", map[string]any{"FT": "staff", "PT": "staff"})}},
		{Target: "name", Source: "name", Transforms: []Step{T("normalize-diacritics")}},
		{Target: "first", Source: "email", Transforms: []Step{T("split", "sep", "@", "index", 0)}},
		{Target: "d", Source: "d", Transforms: []Step{T("date", "from", []any{"date", "rfc3339"})}},
		{Target: "flag", Source: "flag", Transforms: []Step{T("to-bool")}},
	}})
	_, err := m.Reverse()
	var re *ReverseError
	if !errors.As(err, &re) {
		t.Fatalf("want *ReverseError, got %v", err)
	}
	want := []NotInvertible{
		{1, "full", "reads several sources"},
		{2, "level", "writes a constant"},
		{3, "city", "has a default, which would flow back as data"},
		{4, "active", "transform lookup: lookup with a default maps many values to one"},
		{5, "kind", `transform lookup: lookup is not one-to-one: "FT" and "PT" both give "staff"`},
		{6, "name", "transform normalize-diacritics cannot be undone"},
		{7, "first", "transform split: split with an index keeps only one part"},
		{8, "d", `transform date: date needs exactly one "from" layout to be reversed`},
		{9, "flag", "transform to-bool cannot be undone"},
	}
	if diff := cmp.Diff(want, re.Rules); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantMsg := `mapping "m": cannot reverse: rule 1 (full): reads several sources; rule 2 (level): writes a constant`
	if got := err.Error(); len(got) < len(wantMsg) || got[:len(wantMsg)] != wantMsg {
		t.Errorf("message: %s", got)
	}
}

// Two rules from one source reverse into a duplicate target: Compile says so.
func TestReverseDuplicateTarget(t *testing.T) {
	m := mustPreset(t, PresetTalentHRTalentLMS)
	_, err := m.Reverse()
	var se *SpecError
	if !errors.As(err, &se) {
		t.Fatalf("want a *SpecError, got %v", err)
	}
	if se.Problems[0].Target != "email" || se.Problems[0].Rule != 1 {
		t.Errorf("problem = %v", se.Problems[0])
	}
}

// A date pair that drops information (a time to a bare date, a zone-less
// layout) cannot be reversed: the reversed value would differ from the input.
func TestReverseRefusesLossyDatePairs(t *testing.T) {
	m := mustCompile(t, Spec{Name: "dates", Rules: []Rule{
		{Target: "a", Source: "a", Transforms: []Step{T("date", "from", "date", "to", "talentlms")}},
		{Target: "b", Source: "b", Transforms: []Step{T("date", "from", "rfc3339", "to", "date")}},
		{Target: "c", Source: "c", Transforms: []Step{T("date", "from", "talentlms", "to", "date")}},
		{Target: "d", Source: "d", Transforms: []Step{T("date", "from", "wcf", "to", "date")}},
		{Target: "e", Source: "e", Transforms: []Step{T("date", "from", "rfc3339", "to", "unix")}},
		{Target: "f", Source: "f", Transforms: []Step{T("date", "from", "date", "to", "2006-01")}},
		{Target: "g", Source: "g", Transforms: []Step{T("date", "from", "rfc3339")}},
	}})
	_, err := m.Reverse()
	var re *ReverseError
	if !errors.As(err, &re) {
		t.Fatalf("want *ReverseError, got %v", err)
	}
	var got []string
	for _, r := range re.Rules {
		got = append(got, r.Target)
		if !strings.Contains(r.Reason, "loses") {
			t.Errorf("rule %d reason %q does not say what is lost", r.Rule, r.Reason)
		}
	}
	if diff := cmp.Diff([]string{"b", "c", "d", "f"}, got); diff != "" {
		t.Errorf("not invertible (-want +got):\n%s", diff)
	}
}

// For every rule Reverse accepts, the reversed map applied to the forward
// map's output gives the input back.
func TestReverseRoundTrip(t *testing.T) {
	m := mustCompile(t, Spec{Name: "rt", Rules: []Rule{
		{Target: "email", Source: "mail", Transforms: []Step{T("email")}},
		{Target: "hired", Source: "hire", Transforms: []Step{T("date", "from", "date", "to", "talentlms")}},
		{Target: "born", Source: "dob", Transforms: []Step{T("date", "from", "02/01/2006", "to", "date")}},
		{Target: "wcf", Source: "when", Transforms: []Step{T("date", "from", "date", "to", "wcf")}},
		{Target: "stamp", Source: "at", Transforms: []Step{T("date", "from", "unix", "to", "rfc3339")}},
		{Target: "status", Source: "state", Transforms: []Step{T("lookup", "table", map[string]any{"A": "active", "I": "inactive"})}},
		{Target: "tags", Source: "tagList", Transforms: []Step{T("join", "sep", ";")}},
	}})
	rev, err := m.Reverse()
	if err != nil {
		t.Fatal(err)
	}
	inputs := []map[string]any{
		{"mail": "ana@x.co", "hire": "2024-02-29", "dob": "17/05/1990", "when": "2017-06-18", "at": "1597989900", "state": "I", "tagList": []any{"a", "b"}},
		{"mail": nil, "hire": "1999-12-31", "dob": "01/01/1970", "when": "2038-01-19", "at": "0", "state": "A", "tagList": []any{"x"}},
	}
	for _, in := range inputs {
		fwd, err := m.Apply(in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := rev.Apply(fwd)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := back["at"].(int64); ok { // unix goes back as a number
			back["at"] = formatFloat(float64(s))
		}
		if diff := cmp.Diff(in, back); diff != "" {
			t.Errorf("round trip (-in +back):\n%s", diff)
		}
	}
}
