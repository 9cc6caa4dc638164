package mapping

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// missingRules exercise every kind of rule against absent, null and blank
// sources.
var missingRules = []Rule{
	{Target: "Phone", Source: "phone", Transforms: []Step{T("trim")}},
	{Target: "Title", Source: "work.title", Transforms: []Step{T("trim")}},
	{Target: "City", Source: "city", Default: "Unknown"},
	{Target: "Name", Sources: []string{"first", "last"}, Transforms: []Step{T("join", "sep", " ")}},
	{Target: "Level", Constant: "Learner"},
	{Target: "Email", Source: "email", Required: true},
}

func TestSkipMissing(t *testing.T) {
	full := map[string]any{"phone": " 555 ", "work": map[string]any{"title": "Eng"}, "city": "Lindon",
		"first": "Ada", "last": "Lovelace", "email": "ada@example.com"}
	cases := []struct {
		name    string
		in      map[string]any
		want    map[string]any // without the option
		skip    map[string]any // with SkipMissing
		errs    []string       // failed targets, both ways
		missing []string       // Trace.Missing targets with the option
	}{{
		name: "all present",
		in:   full,
		want: map[string]any{"Phone": "555", "Title": "Eng", "City": "Lindon", "Name": "Ada Lovelace", "Level": "Learner", "Email": "ada@example.com"},
		skip: map[string]any{"Phone": "555", "Title": "Eng", "City": "Lindon", "Name": "Ada Lovelace", "Level": "Learner", "Email": "ada@example.com"},
	}, {
		name: "null",
		in:   map[string]any{"phone": nil, "work": map[string]any{"title": nil}, "city": nil, "first": nil, "last": nil, "email": "a@b.co"},
		want: map[string]any{"Phone": nil, "Title": nil, "City": "Unknown", "Name": nil, "Level": "Learner", "Email": "a@b.co"},
		skip: map[string]any{"Phone": nil, "Title": nil, "City": "Unknown", "Name": nil, "Level": "Learner", "Email": "a@b.co"},
	}, {
		name: "blank",
		in:   map[string]any{"phone": "", "work": map[string]any{"title": " "}, "city": "", "first": "", "last": "", "email": "a@b.co"},
		want: map[string]any{"Phone": "", "Title": "", "City": "Unknown", "Name": nil, "Level": "Learner", "Email": "a@b.co"},
		skip: map[string]any{"Phone": "", "Title": "", "City": "Unknown", "Name": nil, "Level": "Learner", "Email": "a@b.co"},
	}, {
		name:    "absent",
		in:      map[string]any{"email": "a@b.co"},
		want:    map[string]any{"Phone": nil, "Title": nil, "City": "Unknown", "Name": nil, "Level": "Learner", "Email": "a@b.co"},
		skip:    map[string]any{"Level": "Learner", "Email": "a@b.co"},
		missing: []string{"Phone", "Title", "City", "Name"},
	}, {
		name:    "nested parent absent, one of several sources absent",
		in:      map[string]any{"work": map[string]any{}, "last": "Lovelace", "email": "a@b.co"},
		want:    map[string]any{"Phone": nil, "Title": nil, "City": "Unknown", "Name": "Lovelace", "Level": "Learner", "Email": "a@b.co"},
		skip:    map[string]any{"Name": "Lovelace", "Level": "Learner", "Email": "a@b.co"},
		missing: []string{"Phone", "Title", "City"},
	}, {
		name: "nested parent null",
		in:   map[string]any{"work": nil, "email": "a@b.co", "phone": "1", "city": "X", "first": "A"},
		want: map[string]any{"Phone": "1", "Title": nil, "City": "X", "Name": "A", "Level": "Learner", "Email": "a@b.co"},
		skip: map[string]any{"Phone": "1", "Title": nil, "City": "X", "Name": "A", "Level": "Learner", "Email": "a@b.co"},
	}, {
		name:    "required absent",
		in:      without(full, "email"),
		want:    map[string]any{"Phone": "555", "Title": "Eng", "City": "Lindon", "Name": "Ada Lovelace", "Level": "Learner"},
		skip:    map[string]any{"Phone": "555", "Title": "Eng", "City": "Lindon", "Name": "Ada Lovelace", "Level": "Learner"},
		errs:    []string{"Email"},
		missing: []string{"Email"},
	}}
	for _, tc := range cases {
		in := tc.in
		for _, skip := range []bool{false, true} {
			m := mustCompile(t, Spec{Name: "m", Options: Options{SkipMissing: skip}, Rules: missingRules})
			want := tc.want
			if skip {
				want = tc.skip
			}
			got, err := m.Apply(in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, skip_missing=%v (-want +got):\n%s", tc.name, skip, diff)
			}
			checkFailed(t, tc.name, err, tc.errs)
			var missing []string
			for _, tr := range m.Trace(in, Create) {
				if tr.Missing {
					missing = append(missing, tr.Target)
					if tr.Target != "Email" && (!tr.Omitted || tr.Out != nil || tr.Defaulted) {
						t.Errorf("%s: trace of missing %s = %+v, want omitted", tc.name, tr.Target, tr)
					}
				}
			}
			wantMissing := tc.missing
			if !skip {
				wantMissing = nil
			}
			if diff := cmp.Diff(wantMissing, missing); diff != "" {
				t.Errorf("%s, skip_missing=%v: Trace.Missing (-want +got):\n%s", tc.name, skip, diff)
			}
		}
	}
}

// With SkipMissing no step runs on an absent source (a custom step that
// fails on nil cannot fail the rule); a present null runs the chain.
func TestSkipMissingRunsNoStep(t *testing.T) {
	reg, calls := countingRegistry(t)
	m := mustCompile(t, Spec{Name: "m", Options: Options{SkipMissing: true},
		Rules: []Rule{{Target: "A", Source: "a", Transforms: []Step{T("count")}}}}, WithRegistry(reg))
	if got, err := m.Apply(map[string]any{}); err != nil || len(got) != 0 || *calls != 0 {
		t.Errorf("absent: got %v, %v after %d calls; want no target and no call", got, err, *calls)
	}
	if got, err := m.Apply(map[string]any{"a": nil}); err != nil || !cmp.Equal(got, map[string]any{"A": nil}) || *calls != 1 {
		t.Errorf("null: got %v, %v after %d calls; want A: nil after one call", got, err, *calls)
	}
}

// The option survives JSON both ways (Marshal, Save, Load) and is left out
// when unset.
func TestSkipMissingJSON(t *testing.T) {
	spec := Spec{Name: "m", Options: Options{SkipMissing: true}, Rules: []Rule{{Target: "A", Source: "a"}}}
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"m","options":{"skip_missing":true},"rules":[{"target":"A","source":"a"}]}`; string(b) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", b, want)
	}
	m, err := Load(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(spec, m.Spec()); diff != "" {
		t.Errorf("Load(Marshal) (-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"options": {"skip_missing": true}`) {
		t.Errorf("Save left the option out:\n%s", buf.String())
	}
	again, err := Load(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(spec, again.Spec()); diff != "" {
		t.Errorf("Load(Save) (-want +got):\n%s", diff)
	}
	spec.Options.SkipMissing = false
	if b, _ := json.Marshal(spec); bytes.Contains(b, []byte("options")) {
		t.Errorf("unset options written: %s", b)
	}
	if _, err := Load([]byte(`{"name":"m","options":{"skip_missing":"yes"},"rules":[]}`)); err == nil {
		t.Error("a non-bool skip_missing loaded")
	}
}

// The bamboohr-litmos preset leaves a Litmos field alone when BambooHR
// hides its source, and clears it when the employee's value is emptied.
func TestPresetBambooHRLitmosSkipsHiddenFields(t *testing.T) {
	m := mustPreset(t, PresetBambooHRLitmos)
	if !m.Spec().Options.SkipMissing {
		t.Fatal("preset must set skip_missing")
	}
	emp := map[string]any{"id": "4", "firstName": "Ana", "lastName": "Diaz", "workEmail": "ana@example.com",
		"workPhone": "+1 555 0100", "mobilePhone": "+1 555 0199"}
	hidden := without(emp, "mobilePhone")
	emptied := without(emp)
	emptied["mobilePhone"] = nil
	for _, tc := range []struct {
		name    string
		in      map[string]any
		present bool
		want    any
	}{
		{"visible", emp, true, "+1 555 0199"},
		{"hidden", hidden, false, nil},
		{"emptied", emptied, true, nil},
	} {
		got, err := m.ApplyMode(tc.in, Update)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		v, ok := got["PhoneMobile"]
		if ok != tc.present || v != tc.want {
			t.Errorf("%s: PhoneMobile = %v (present %v), want %v (present %v)", tc.name, v, ok, tc.want, tc.present)
		}
		if _, ok := got["Street1"]; ok {
			t.Errorf("%s: Street1 written from an absent address1", tc.name)
		}
	}
}
