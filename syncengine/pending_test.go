package syncengine_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// pendingEnv: e1 is synced; e2 is new and becomes e1's manager. The plan
// creates e2 and sets e1's manager to e2's account, pending ("created in
// this run").
func pendingEnv(t *testing.T) (*env, *syncengine.Plan) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", true))
	if rep := v.sync(t); rep.Failed() {
		t.Fatal(rep.Summary())
	}
	e1 := person("e1", "1@example.com", "N", "1", true)
	e1.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
	v.hr.Put(syncengine.Users, e1)
	v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
	return v, v.plan(t)
}

func e1Manager(t *testing.T, v *env) (got, want string) {
	t.Helper()
	ls := v.links(t)
	var mgr []syncengine.Ref
	for _, r := range v.lms.Records(syncengine.Users) {
		if r.ID == ls["e1"] {
			mgr = r.Refs["manager"]
		}
	}
	if len(mgr) == 1 {
		got = mgr[0].ID
	}
	return got, ls["e2"]
}

// A reviewed plan applied in two steps (Plan.Select): first the manager
// e2, then e1. The second step's reference to e2, created in the plan's
// run, translates through the link the first step stored: e1's manager
// is e2's new account.
func TestPendingRefAfterSubsetApply(t *testing.T) {
	v, p := pendingEnv(t)
	ctx := context.Background()
	for _, id := range []string{"e2", "e1"} {
		sub, err := p.Select(id)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.engine(t).Apply(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed() {
			t.Fatalf("apply %s: %s %+v", id, rep.Summary(), rep.Outcomes)
		}
	}
	if got, want := e1Manager(t, v); want == "" || got != want {
		t.Errorf("e1's manager %q, want e2's account %q\nplan:\n%s", got, want, p)
	}
}

// The same plan cut off right after e2's create (its link is stored), then
// applied again (a rerun of the saved plan): e2 is already linked, and
// e1's reference to it translates through that link.
func TestPendingRefAfterCutReapply(t *testing.T) {
	v, p := pendingEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	// The create succeeds (its link is committed), then the run stops.
	v.lms.OnWrite(func(i int, _ syncenginetest.Call) error {
		if i == 1 {
			cancel()
		}
		return nil
	})
	_, _ = v.engine(t).Apply(ctx, p)
	cancel()
	v.lms.ClearFaults()
	if v.links(t)["e2"] == "" {
		t.Fatalf("the cut run did not create e2: links %v", v.links(t))
	}
	rep := applySavedPlan(t, v, p)
	if got, want := e1Manager(t, v); got != want {
		t.Errorf("after re-apply: e1's manager %q, want e2's account %q; %s %+v", got, want, rep.Summary(), rep.Outcomes)
	}
}
