package syncengine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A create's fields are its mapping's non-nil values sorted as sortDiffs
// sorts them, whether the names of the mapping before serve or not.
func TestCreateDiffsSorted(t *testing.T) {
	cp := &collPlan{}
	for _, m := range []map[string]any{
		{"b": "1", "a": "2", "c": nil},
		{"c": "3", "a": "4", "b": "5"},
		{"a": "6", "d": "7", "b": nil},
		{"a": "6", "d": "7"},
		{"a": "6", "d": "7", "e": "8"},
		{},
		{"z": true, "y": 1},
		{"b": "1", "a": "2", "c": nil},
	} {
		want := []FieldDiff{}
		for f, v := range m {
			if v != nil {
				want = append(want, FieldDiff{Side: SideB, Field: f, New: v})
			}
		}
		sortDiffs(want)
		if diff := cmp.Diff(want, cp.createDiffs(1, m)); diff != "" {
			t.Errorf("%v: (-want +got)\n%s", m, diff)
		}
	}
}
