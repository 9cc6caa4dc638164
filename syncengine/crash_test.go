package syncengine_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// companyEnv is a 200-employee company: 50 already have a learner (found
// by email, half with stale names), 10 of those have left, and everyone
// has a manager.
func companyEnv(n int, cheap bool) *env {
	opts := []syncenginetest.Option{syncenginetest.WithUnique(syncengine.Users, "email")}
	if cheap { // one write per record, creates with their manager, bulk creates
		opts = append(opts, syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability))
	}
	v := newEnv(nil, opts)
	v.cfg.BulkMin = 20
	for i := range n {
		id := fmt.Sprintf("e%03d", i)
		email := fmt.Sprintf("p%03d@example.com", i)
		p := person(id, email, "First", fmt.Sprintf("Last%d", i), !(i < 50 && i%5 == 0))
		p.Refs = map[string][]syncengine.Ref{"manager": {}}
		if i > 0 {
			p.Refs["manager"] = []syncengine.Ref{personRef(fmt.Sprintf("e%03d", i/10))}
		}
		v.hr.Put(syncengine.Users, p)
		if i < 50 {
			name := "First"
			if i%2 == 1 {
				name = "Stale"
			}
			v.lms.Put(syncengine.Users, learner(fmt.Sprintf("pre%03d", i), email, name, fmt.Sprintf("Last%d", i), true))
		}
	}
	return v
}

// state is the sink by email: fields, active flag and manager's email.
type state map[string]string

func sinkState(t testing.TB, k *syncenginetest.Connector) state {
	t.Helper()
	byID := map[string]string{}
	for email, r := range emails(t, k) {
		byID[r.ID] = email
	}
	out := state{}
	for email, r := range emails(t, k) {
		var mgr []string
		for _, ref := range r.Refs["manager"] {
			mgr = append(mgr, byID[ref.ID])
		}
		if !r.Active {
			// The engine leaves the references of an inactive account as
			// they are: whether a leaver's manager was written depends on
			// where the run stopped.
			mgr = []string{"(not kept)"}
		}
		sort.Strings(mgr)
		out[email] = fmt.Sprintf("%v %v %v active=%v manager=%v", r.Fields["first_name"], r.Fields["last_name"],
			r.Fields["email"], r.Active, mgr)
	}
	return out
}

// writeModes are the target's two ways of writing: the classic calls
// (update, set-active, write-refs after the creates), and the cheap ones
// (RecordWriter, creates with references, bulk creates).
var writeModes = []struct {
	name  string
	cheap bool
}{{"classic", false}, {"cheap", true}}

func TestCrashAtEveryWrite(t *testing.T) {
	for _, m := range writeModes {
		t.Run(m.name, func(t *testing.T) { crashAtEveryWrite(t, m.cheap) })
	}
}

func crashAtEveryWrite(t *testing.T, cheap bool) {
	const n = 200
	ref := companyEnv(n, cheap)
	if rep := ref.sync(t); rep.Failed() {
		t.Fatalf("clean run failed: %+v", rep.Counts)
	}
	want := sinkState(t, ref.lms)
	writes := ref.lms.AppliedWrites()
	if cheap && writes != 51 {
		// One write per existing learner, then one bulk job whose creates
		// carry their managers: those are linked by then.
		t.Fatalf("clean run made %d writes, want 51", writes)
	}
	if !cheap && writes < n {
		t.Fatalf("clean run made only %d writes", writes)
	}
	if ref.plan(t).HasChanges() {
		t.Fatal("clean run does not settle")
	}
	for k := 0; k <= writes; k++ {
		v := companyEnv(n, cheap)
		ctx, cancel := context.WithCancel(context.Background())
		if k == 0 {
			cancel() // stopped before the first write
		} else {
			v.lms.CancelAfterWrites(k, cancel)
		}
		_, _ = v.engine(t).Sync(ctx)
		cancel()
		checkAckedCreatesLinked(t, v, k)
		v.lms.ClearFaults()
		if rep := v.sync(t); rep.Failed() {
			t.Fatalf("k=%d: rerun failed: %+v", k, rep.Counts)
		}
		if diff := cmp.Diff(want, sinkState(t, v.lms)); diff != "" {
			t.Fatalf("k=%d: end state differs (-want +got):\n%s", k, diff)
		}
		if p := v.plan(t); p.HasChanges() {
			t.Fatalf("k=%d: a third run would still change:\n%s", k, p)
		}
	}
	t.Logf("cancelled at each of %d write points", writes+1)
}

// checkAckedCreatesLinked fails when a create the sink acknowledged has no
// link in the store once the interrupted run returns: the engine must
// commit each link as its write succeeds, not rely on matching by email
// to find the record again (a connector may have no match key, or the
// key may change before the next run).
func checkAckedCreatesLinked(t *testing.T, v *env, k int) {
	t.Helper()
	links := v.links(t)
	linked := map[string]bool{}
	for _, b := range links {
		linked[b] = true
	}
	for _, c := range v.lms.Calls() {
		if c.Op == syncenginetest.OpCreate && c.Applied && c.Err == nil && !linked[c.ID] {
			t.Fatalf("k=%d: created %s %q was acknowledged but its link was not committed", k, c.Collection, c.ID)
		}
		for _, id := range c.Created {
			if c.Err == nil && !linked[id] {
				t.Fatalf("k=%d: bulk-created %s %q was acknowledged but its link was not committed", k, c.Collection, id)
			}
		}
	}
}

func TestRandomFaultsConvergeInTwoRuns(t *testing.T) {
	for _, m := range writeModes {
		t.Run(m.name, func(t *testing.T) { randomFaultsConverge(t, m.cheap) })
	}
}

func randomFaultsConverge(t *testing.T, cheap bool) {
	const n = 200
	ref := companyEnv(n, cheap)
	ref.sync(t)
	want := sinkState(t, ref.lms)
	adopted := 0
	defer func() {
		if adopted == 0 {
			t.Error("no create with a lost answer was injected: the test does not cover adoption")
		}
	}()
	for seed := int64(1); seed <= 10; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			v := companyEnv(n, cheap)
			if cheap { // a bulk job applied whose answer is lost, on top of the random faults
				v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpBulkCreate, Times: 1, Kind: syncenginetest.AppliedUnknown})
			}
			v.lms.SetRandomFaults(syncenginetest.RandomFaults{Seed: seed, Rate: 0.2})
			v.hr.SetRandomFaults(syncenginetest.RandomFaults{Seed: seed + 100, Rate: 0.2})
			first := v.sync(t)
			second := v.sync(t)
			faults := v.lms.Count(func(c syncenginetest.Call) bool { return c.Fault != "" })
			adopted += v.lms.Count(func(c syncenginetest.Call) bool {
				return (c.Op == syncenginetest.OpCreate || c.Op == syncenginetest.OpBulkCreate) && c.Applied && c.Fault != ""
			})
			v.lms.ClearFaults()
			if diff := cmp.Diff(want, sinkState(t, v.lms)); diff != "" {
				t.Fatalf("after two runs (%d injected faults; first run %v, second %v) the sink differs (-want +got):\n%s",
					faults, first.Counts, second.Counts, diff)
			}
			if faults == 0 {
				t.Fatal("no fault was injected")
			}
		})
	}
}

// twoWayCompany has people on both sides: some only in HR, some only in
// the LMS, some in both with edits on either side since the last sync.
func twoWayCompany(t *testing.T, n int) *env {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Conflict = syncengine.AWins
	v.cfg.Collections[0].AToB = rules(hrToLMS, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	for i := range n {
		v.hr.Put(syncengine.Users, person(fmt.Sprintf("e%03d", i), fmt.Sprintf("p%03d@example.com", i), "F", fmt.Sprint(i), true))
	}
	v.sync(t)
	for i := range n {
		id := fmt.Sprintf("e%03d", i)
		switch i % 4 {
		case 0:
			r, _ := v.hr.Record(syncengine.Users, id)
			r.Fields["firstName"] = "HR-edit"
			v.hr.Put(syncengine.Users, r)
		case 1:
			r, _ := v.lms.Record(syncengine.Users, v.links(t)[id])
			r.Fields["last_name"] = "LMS-edit"
			v.lms.Put(syncengine.Users, r)
		case 2:
			v.lms.Put(syncengine.Users, learner("", fmt.Sprintf("lms-only%03d@example.com", i), "L", "Only", true))
		}
	}
	return v
}

func TestTwoWayRandomFaultsConverge(t *testing.T) {
	const n = 120
	ref := twoWayCompany(t, n)
	ref.sync(t)
	wantHR, wantLMS := hrState(t, ref.hr), sinkState(t, ref.lms)
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			v := twoWayCompany(t, n)
			v.lms.SetRandomFaults(syncenginetest.RandomFaults{Seed: seed, Rate: 0.2})
			v.hr.SetRandomFaults(syncenginetest.RandomFaults{Seed: seed + 50, Rate: 0.2})
			v.sync(t)
			v.sync(t)
			v.lms.ClearFaults()
			v.hr.ClearFaults()
			if diff := cmp.Diff(wantLMS, sinkState(t, v.lms)); diff != "" {
				t.Errorf("LMS differs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantHR, hrState(t, v.hr)); diff != "" {
				t.Errorf("HR differs (-want +got):\n%s", diff)
			}
			if p := v.plan(t); p.HasChanges() {
				t.Errorf("not settled:\n%s", p)
			}
		})
	}
}

func hrState(t testing.TB, k *syncenginetest.Connector) state {
	t.Helper()
	out := state{}
	for email, r := range emails(t, k) {
		out[email] = fmt.Sprintf("%v %v active=%v", r.Fields["firstName"], r.Fields["lastName"], r.Active)
	}
	return out
}
