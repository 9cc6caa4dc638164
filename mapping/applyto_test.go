package mapping

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ApplyTo gives exactly what Apply gives, fields and errors, for every
// preset and person composition over the testdata records and variants
// of them, in both modes, reusing one output map throughout.
func TestApplyToMatchesApply(t *testing.T) {
	for name, tc := range mapsUnderTest(t) {
		dst := map[string]any{"left": "over", "custom_fields": map[string]any{"stale": true}}
		recs := variants([]map[string]any{tc.rec}, tc.m.SourceFields())
		for i, rec := range recs {
			for _, mode := range []Mode{Create, Update} {
				want, wantErr := tc.m.ApplyMode(rec, mode)
				gotErr := tc.m.ApplyModeTo(dst, rec, mode)
				if diff := cmp.Diff(want, dst); diff != "" {
					t.Fatalf("%s, record %d, mode %d (-Apply +ApplyTo):\n%s", name, i, mode, diff)
				}
				if diff := cmp.Diff(errorLines(wantErr), errorLines(gotErr)); diff != "" {
					t.Fatalf("%s, record %d, mode %d errors (-Apply +ApplyTo):\n%s", name, i, mode, diff)
				}
			}
		}
	}
}

func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

func TestApplyToErrors(t *testing.T) {
	m := mustPreset(t, PresetBambooHRLitmos)
	if err := m.ApplyTo(nil, map[string]any{}); err == nil || err.Error() != `mapping "bamboohr-litmos": apply: nil destination map` {
		t.Errorf("nil destination: %v", err)
	}
	dst := map[string]any{}
	err := m.ApplyTo(dst, map[string]any{"id": "1", "firstName": "A", "lastName": "B"})
	if diff := cmp.Diff([]string{"UserName", "Email"}, targetsOf(err)); diff != "" {
		t.Errorf("failed targets (-want +got):\n%s", diff)
	}
	if _, ok := dst["UserName"]; ok || dst["FirstName"] != "A" {
		t.Errorf("dst %v", dst)
	}
}

// With a reused output map, a record whose values are already clean maps
// without allocating; each changed string costs its own allocation.
func TestApplyToAllocations(t *testing.T) {
	m := mustPreset(t, PresetBambooHRLitmos)
	rec := cleanEmployee(t)
	dst := map[string]any{}
	cases := []struct {
		email string
		want  float64
	}{
		{"charlotte.abbott@efficientoffice.com", 0},
		{"Charlotte.Abbott@Efficientoffice.com", 2}, // lower: the new text and its interface value, once for both rules
	}
	for _, tc := range cases {
		rec["workEmail"] = tc.email
		got := testing.AllocsPerRun(200, func() {
			if err := m.ApplyTo(dst, rec); err != nil {
				t.Fatal(err)
			}
		})
		if got != tc.want {
			t.Errorf("%s: %v allocations per ApplyTo, want %v", tc.email, got, tc.want)
		}
	}
}
