package syncengine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// mixedEnv: a synced company of 20, then: e5's account deleted (e5 is
// recreated, e6..e9 report to it), 20 new people (some report to e5,
// some to e2), 10 people who already have unlinked accounts (matched by
// email, stale names; e40 and e41 manage each other, e42.. report to
// e40), e3 left (deactivated), e1 renamed.
func mixedEnv(t *testing.T, cheap bool) *env {
	opts := []syncenginetest.Option{syncenginetest.WithUnique(syncengine.Users, "email")}
	if cheap {
		opts = append(opts, syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability))
	}
	v := newEnv(nil, opts)
	v.cfg.BulkMin = 5
	put := func(i int, mgr int, active bool, last string) {
		p := person(fmt.Sprintf("e%02d", i), fmt.Sprintf("p%02d@example.com", i), "F", last, active)
		p.Refs = map[string][]syncengine.Ref{"manager": {}}
		if mgr >= 0 {
			p.Refs["manager"] = []syncengine.Ref{personRef(fmt.Sprintf("e%02d", mgr))}
		}
		v.hr.Put(syncengine.Users, p)
	}
	for i := range 20 {
		mgr := -1
		if i > 0 {
			mgr = i / 5
		}
		put(i, mgr, true, fmt.Sprint(i))
	}
	if rep := v.sync(t); rep.Failed() {
		t.Fatal(rep.Summary())
	}
	v.lms.Delete(syncengine.Users, v.links(t)["e05"])
	for i := 20; i < 40; i++ {
		mgr := 5
		if i%2 == 0 {
			mgr = 2
		}
		put(i, mgr, true, fmt.Sprint(i))
	}
	for i := 40; i < 50; i++ {
		mgr := 40
		if i == 40 {
			mgr = 41
		}
		put(i, mgr, true, fmt.Sprint(i))
		v.lms.Put(syncengine.Users, learner(fmt.Sprintf("pre%02d", i), fmt.Sprintf("p%02d@example.com", i), "F", "Stale", true))
	}
	put(3, 0, false, "3")
	put(1, 0, true, "Renamed")
	return v
}

// A run that recreates a deleted manager, creates new people, matches
// existing accounts (a cycle among them), deactivates a leaver and renames
// someone, cut off after each of its writes: the next run converges to
// the clean run's end state, and settles.
func TestCrashMixedRun(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		ref := mixedEnv(t, cheap)
		ref.lms.ResetCalls()
		if rep := ref.sync(t); rep.Failed() {
			t.Fatalf("cheap %v: clean run: %s %+v", cheap, rep.Summary(), rep.Outcomes)
		}
		want := sinkState(t, ref.lms)
		writes := ref.lms.AppliedWrites()
		if p := ref.plan(t); p.HasChanges() {
			t.Errorf("cheap %v: clean run does not settle:\n%s", cheap, p)
		}
		for k := 1; k <= writes; k++ {
			v := mixedEnv(t, cheap)
			v.lms.ResetCalls()
			ctx, cancel := context.WithCancel(context.Background())
			v.lms.CancelAfterWrites(k, cancel)
			_, _ = v.engine(t).Sync(ctx)
			cancel()
			v.lms.ClearFaults()
			if rep := v.sync(t); rep.Failed() {
				t.Fatalf("cheap %v k=%d: rerun failed: %s %+v", cheap, k, rep.Summary(), rep.Outcomes)
			}
			if diff := cmp.Diff(want, sinkState(t, v.lms)); diff != "" {
				t.Fatalf("cheap %v k=%d: end state differs (-want +got):\n%s", cheap, k, diff)
			}
			if p := v.plan(t); p.HasChanges() {
				t.Fatalf("cheap %v k=%d: third run would change:\n%s", cheap, k, p)
			}
		}
		t.Logf("cheap %v: %d write points", cheap, writes)
	}
}

// The same mixed run under random faults (a quarter of the calls), with a
// lost bulk answer: two faulty runs and a clean one end as the clean run.
func TestRandomFaultsMixedRun(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		ref := mixedEnv(t, cheap)
		ref.sync(t)
		want := sinkState(t, ref.lms)
		for seed := int64(1); seed <= 20; seed++ {
			v := mixedEnv(t, cheap)
			v.cfg.Concurrency = 4
			if cheap {
				v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpBulkCreate, Times: 1, Kind: syncenginetest.AppliedUnknown})
			}
			v.lms.SetRandomFaults(syncenginetest.RandomFaults{Seed: seed, Rate: 0.25})
			v.sync(t)
			v.sync(t)
			v.lms.ClearFaults()
			v.sync(t)
			if diff := cmp.Diff(want, sinkState(t, v.lms)); diff != "" {
				t.Errorf("cheap %v seed %d: differs (-want +got):\n%s", cheap, seed, diff)
			}
		}
	}
}
