package syncengine

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Outcomes sharing their names get what each would get alone, equal
// names share one slice, and an append to one does not reach the next.
func TestOutcomeNamesShared(t *testing.T) {
	f := func(side Side, names ...string) []FieldDiff {
		var ds []FieldDiff
		for _, n := range names {
			ds = append(ds, FieldDiff{Side: side, Field: n, New: "x"})
		}
		return ds
	}
	mgr := RefDiff{Side: SideB, Role: "manager", New: []Ref{{ID: "m"}}}
	changes := []Change{
		{Source: SideA, Fields: f(SideB, "email", "name")},
		{Source: SideA, Fields: f(SideB, "email", "name")},
		{Source: SideA, Fields: f(SideB, "email", "name"), Refs: []RefDiff{mgr}},
		{Source: SideA, Fields: f(SideB, "email", "name", ActiveField)},
		{Source: SideA},
		{Source: SideA, Refs: []RefDiff{mgr, {Side: SideB, Role: "team", Unresolved: []Ref{{ID: "t"}}}}},
		{Fields: append(f(SideA, "title"), f(SideB, "email")...)},
		{Source: SideA, Fields: f(SideB, "email")},
	}
	var nm outcomeNames
	var got [][]string
	for i := range changes {
		want := (*outcomeNames)(nil).of(&changes[i])
		g := nm.of(&changes[i])
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("change %d: (-alone +shared)\n%s", i, diff)
		}
		got = append(got, g)
	}
	if &got[0][0] != &got[1][0] || &got[0][0] == &got[3][0] {
		t.Error("equal names not shared")
	}
	if got[4] != nil || !slices.Equal(got[5], []string{"manager"}) || !slices.Equal(got[6], []string{"a.title", "b.email"}) {
		t.Errorf("got %q", got)
	}
	_ = append(got[0], "extra")
	if !slices.Equal(got[1], []string{"email", "name"}) || len(got[2]) != 3 {
		t.Errorf("an append reached another outcome: %q", got[:3])
	}
	if n := testing.AllocsPerRun(100, func() { nm.of(&changes[0]); nm.of(&changes[1]) }); n != 0 {
		t.Errorf("%v allocations for outcomes with the same names, want 0", n)
	}
}
