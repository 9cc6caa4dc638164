package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// valuesMap is what ApplyValues filled, as the map Apply returns.
func valuesMap(t *testing.T, m *Map, src map[string]any) (map[string]any, error) {
	t.Helper()
	names, ok := m.FlatTargets()
	if !ok {
		t.Fatalf("%s: not flat", m.Name())
	}
	vals, set := make([]any, len(names)), make([]bool, len(names))
	for i := range vals {
		vals[i], set[i] = "stale", true // from an earlier record: cleared
	}
	err := m.ApplyValues(vals, set, src)
	out := map[string]any{}
	for i, n := range names {
		if set[i] {
			out[n] = vals[i]
		} else if vals[i] != nil {
			t.Errorf("%s: unset value %q kept %v", m.Name(), n, vals[i])
		}
	}
	return out, err
}

// ApplyValues gives what Apply gives, for every flat preset and for
// records that fail, omit, default and skip fields.
func TestApplyValuesMatchesApply(t *testing.T) {
	recs := []map[string]any{
		{},
		{"id": "7", "firstName": " Ada ", "lastName": "Lovelace", "workEmail": "ADA@example.com", "jobTitle": "",
			"email": "ada@example.com", "first_name": "Ada", "firstname": "Ada", "status": "Inactive"},
		{"workEmail": 42, "firstName": []any{"x"}, "hireDate": "not a date", "email": "bad"},
	}
	flat := 0
	for _, name := range PresetNames() {
		m := mustPreset(t, name)
		if _, ok := m.FlatTargets(); !ok {
			continue
		}
		flat++
		for i, src := range recs {
			want, wantErr := m.Apply(src)
			got, err := valuesMap(t, m, src)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s record %d (-Apply +ApplyValues):\n%s", name, i, diff)
			}
			if (wantErr == nil) != (err == nil) || wantErr != nil && wantErr.Error() != err.Error() {
				t.Errorf("%s record %d: ApplyValues error %v, Apply %v", name, i, err, wantErr)
			}
		}
	}
	if flat < 5 {
		t.Fatalf("only %d flat presets", flat)
	}
	composed, err := Compose(mustPreset(t, PresetBambooHRPerson), mustPreset(t, PresetPersonLitmos))
	if err != nil {
		t.Fatal(err)
	}
	for i, src := range recs {
		want, wantErr := composed.Apply(src)
		got, err := valuesMap(t, composed, src)
		if diff := cmp.Diff(want, got); diff != "" || (wantErr == nil) != (err == nil) {
			t.Errorf("composed record %d (-Apply +ApplyValues):\n%s\nerrors %v, %v", i, diff, wantErr, err)
		}
	}
	m := mustCompile(t, Spec{Name: "m", Options: Options{SkipMissing: true}, Rules: []Rule{
		{Target: "a", Source: "a", Transforms: []Step{T("ignore-if-empty")}},
		{Target: "b", Source: "b", Default: "d"},
		{Target: "c", Source: "c"},
		{Target: "k", Constant: "K"},
		{Target: "/x.y", Source: "a"}, // one top-level field named "x.y"
	}})
	got, err := valuesMap(t, m, map[string]any{"a": "", "b": nil})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"b": "d", "k": "K", "x.y": ""}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A map with a nested target has no flat form; wrong lengths are errors.
func TestApplyValuesRefuses(t *testing.T) {
	nested := mustCompile(t, Spec{Name: "nested", Rules: []Rule{
		{Target: "a", Source: "a"}, {Target: "custom.size", Source: "size"}}})
	if names, ok := nested.FlatTargets(); ok || names != nil {
		t.Errorf("nested map: FlatTargets = %v, %v", names, ok)
	}
	err := nested.ApplyValues(make([]any, 2), make([]bool, 2), nil)
	if err == nil || !strings.Contains(err.Error(), "nested targets") {
		t.Errorf("nested map: %v", err)
	}
	m := mustCompile(t, Spec{Name: "two", Rules: []Rule{{Target: "a", Source: "a"}, {Target: "b", Source: "b"}}})
	err = m.ApplyValues(make([]any, 2), make([]bool, 1), nil)
	if err == nil || !strings.Contains(err.Error(), "2 values and 1 flags for 2 targets") {
		t.Errorf("short flags: %v", err)
	}
	var es Errors
	if errors.As(err, &es) {
		t.Errorf("a usage error reads as field errors: %v", err)
	}
}
