package syncengine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

// A saved plan is a file a person can edit. However it is edited, Apply
// never writes a side the pair's direction does not flow into: a plan
// that would is refused whole with ErrWrongPlan, before any write.
func TestApplyRefusesWritesAgainstDirection(t *testing.T) {
	users := syncengine.Users
	tests := []struct {
		name   string
		change syncengine.Change
	}{
		{"create with no source", syncengine.Change{Collection: users, Action: syncengine.ActionCreate}},
		{"create from the target", syncengine.Change{Collection: users, Action: syncengine.ActionCreate, Source: syncengine.SideB, BID: "u4",
			Fields: []syncengine.FieldDiff{{Side: syncengine.SideA, Field: "email", New: "x@example.com"}}}},
		{"create from an unknown side", syncengine.Change{Collection: users, Action: syncengine.ActionCreate, Source: "c", AID: "1"}},
		{"update of the source's fields", syncengine.Change{Collection: users, Action: syncengine.ActionUpdate, Source: syncengine.SideA, AID: "4", BID: "u4",
			Fields: []syncengine.FieldDiff{{Side: syncengine.SideA, Field: "firstName", Old: "Di", New: "Dee"}}}},
		{"deactivation of the source", syncengine.Change{Collection: users, Action: syncengine.ActionDeactivate, AID: "4", BID: "u4",
			Fields: []syncengine.FieldDiff{{Side: syncengine.SideA, Field: syncengine.ActiveField, Old: true, New: false}}}},
		{"references of the source", syncengine.Change{Collection: users, Action: syncengine.ActionUpdate, Source: syncengine.SideB, AID: "4", BID: "u4",
			Refs: []syncengine.RefDiff{{Side: syncengine.SideA, Role: "manager", Want: []syncengine.Ref{{Collection: users, ID: "u2"}}}}}},
		{"a field on an unknown side", syncengine.Change{Collection: users, Action: syncengine.ActionUpdate, Source: syncengine.SideA, AID: "4", BID: "u4",
			Fields: []syncengine.FieldDiff{{Side: "c", Field: "first_name", Old: "Di", New: "Dee"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := planFuzzEnv(t)
			eng := v.engine(t)
			hr, lms := v.hr.Records(users), v.lms.Records(users)
			good := syncengine.Change{Collection: users, Action: syncengine.ActionUpdate, Source: syncengine.SideA, AID: "2", BID: "u2",
				Fields: []syncengine.FieldDiff{{Side: syncengine.SideB, Field: "first_name", Old: "Bob", New: "Bo"}}}
			p := &syncengine.Plan{Version: syncengine.PlanVersion, Pair: eng.Pair(), A: "hr", B: "lms", Direction: syncengine.AToB,
				Changes: []syncengine.Change{good, tt.change}}
			rep, err := eng.Apply(context.Background(), p)
			if !errors.Is(err, syncengine.ErrWrongPlan) || rep != nil {
				t.Fatalf("Apply = %v, %v; want no report and ErrWrongPlan", rep, err)
			}
			if diff := cmp.Diff(hr, v.hr.Records(users)); diff != "" {
				t.Errorf("the source was written (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(lms, v.lms.Records(users)); diff != "" {
				t.Errorf("the target was written by a refused plan (-before +after):\n%s", diff)
			}
		})
	}
}
