package syncengine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestSyncThenIdempotent(t *testing.T) {
	v := outcomesEnv(t)
	v.lms.ClearFaults()
	rep := v.sync(t)
	// e12's linked learner is gone: it is created again and relinked.
	// Failed: the three match conflicts and e6, whose map fails.
	want := map[syncengine.Result]int{"created": 2, "updated": 1, "deactivated": 1, "reactivated": 1,
		"failed": 4, "skipped": 2, "unchanged": 1}
	if diff := cmp.Diff(want, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	sink := v.lms.Records(syncengine.Users)
	byID := map[string]syncengine.Record{}
	for _, r := range sink {
		byID[r.ID] = r
	}
	if byID["l2"].Fields["first_name"] != "Bob" || byID["l3"].Active || !byID["l4"].Active {
		t.Errorf("sink not updated: %+v", sink)
	}
	if e := emails(t, v.lms); e["ana@example.com"].ID == "" {
		t.Errorf("ana not created: %v", e)
	}
	// The second run over unchanged data plans nothing and writes nothing.
	v.lms.ResetCalls()
	linksBefore := v.links(t)
	p := v.plan(t)
	if p.HasChanges() {
		t.Errorf("second plan has changes:\n%s", p)
	}
	rep = v.sync(t)
	if n := v.lms.Writes(); n != 0 {
		t.Errorf("second run made %d writes: %+v", n, v.lms.Calls())
	}
	if diff := cmp.Diff(linksBefore, v.links(t)); diff != "" {
		t.Errorf("second run changed links:\n%s", diff)
	}
	for _, o := range rep.Outcomes {
		if o.Status == syncengine.StatusApplied {
			t.Errorf("second run applied %+v", o)
		}
	}
}

func TestApplyExactlyAndSubset(t *testing.T) {
	v := newEnv(nil, nil)
	for _, p := range []syncengine.Record{
		person("e1", "a@example.com", "A", "One", true),
		person("e2", "b@example.com", "B", "Two", true),
		person("e3", "c@example.com", "C", "Three", true),
	} {
		v.hr.Put(syncengine.Users, p)
	}
	eng := v.engine(t)
	plan := v.plan(t)
	// A record added after review is not part of the reviewed plan.
	v.hr.Put(syncengine.Users, person("e4", "d@example.com", "D", "Four", true))
	rep, err := eng.Apply(context.Background(), plan.Only("e1", "e3"))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Outcomes); got != 2 {
		t.Errorf("subset applied %d outcomes, want 2", got)
	}
	got := emails(t, v.lms)
	if _, ok := got["b@example.com"]; ok || len(got) != 2 {
		t.Errorf("sink after subset = %v", got)
	}
	// Applying the full reviewed plan afterwards creates e2 only: e1 and e3
	// are linked already and are not created twice; e4 was not reviewed.
	rep, err = eng.Apply(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	got = emails(t, v.lms)
	if len(got) != 3 {
		t.Errorf("sink after full apply = %v", got)
	}
	if _, ok := got["d@example.com"]; ok {
		t.Error("apply wrote a record that was not in the reviewed plan")
	}
	notes := 0
	for _, o := range rep.Outcomes {
		if strings.Contains(o.Note, "already linked") {
			notes++
		}
	}
	if notes != 2 {
		t.Errorf("want 2 'already linked' notes, got %d: %+v", notes, rep.Outcomes)
	}
}

func TestApplyRefusesOtherPair(t *testing.T) {
	v := newEnv(nil, nil)
	p := v.plan(t)
	p.Pair = "x<->y"
	if _, err := v.engine(t).Apply(context.Background(), p); err == nil {
		t.Fatal("Apply accepted a plan for another pair")
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	v := outcomesEnv(t)
	v.cfg.DryRun = true
	before := v.links(t)
	rep := v.sync(t)
	if v.lms.Writes() != 0 {
		t.Errorf("dry run wrote %d times", v.lms.Writes())
	}
	if diff := cmp.Diff(before, v.links(t)); diff != "" {
		t.Errorf("dry run changed links:\n%s", diff)
	}
	if !rep.DryRun || rep.Counts["create"] != 1 || rep.Outcomes[0].Status != syncengine.StatusPlanned {
		t.Errorf("dry-run report = %+v", rep)
	}
	runs, _ := v.store.Runs(context.Background(), "hr<->lms")
	if len(runs) != 1 || !runs[0].DryRun {
		t.Errorf("run history = %+v", runs)
	}
}

func TestLockHeldForRun(t *testing.T) {
	v := newEnv(nil, nil)
	unlock, err := v.store.Lock(context.Background(), "hr<->lms")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.engine(t).Sync(context.Background()); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("Sync while locked: err = %v, want ErrLocked", err)
	}
	unlock()
	// The engine releases the lock after a run.
	v.sync(t)
	v.sync(t)
}

func TestOutOfScopePolicy(t *testing.T) {
	for _, policy := range []syncengine.OutOfScopePolicy{syncengine.IgnoreOutOfScope, syncengine.DeactivateOutOfScope} {
		t.Run(string(policy), func(t *testing.T) {
			v := newEnv(nil, nil)
			v.cfg.OutOfScope = policy
			v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
			v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
			v.sync(t)
			// e2's "LMS access" box is unticked: it leaves the HR scope.
			v.hr.SetScope(func(_ syncengine.Collection, r syncengine.Record) bool { return r.ID != "e2" })
			p := v.plan(t)
			var got syncengine.Change
			for _, c := range p.Changes {
				if c.AID == "e2" {
					got = c
				}
			}
			want := syncengine.ActionSkip
			if policy == syncengine.DeactivateOutOfScope {
				want = syncengine.ActionDeactivate
			}
			if got.Action != want {
				t.Fatalf("e2 action = %s (%s), want %s", got.Action, got.Reason, want)
			}
			v.sync(t)
			if b := emails(t, v.lms)["b@example.com"]; b.Active != (policy == syncengine.IgnoreOutOfScope) {
				t.Errorf("b active = %v under %s", b.Active, policy)
			}
		})
	}
}

func TestOutOfScopeByRule(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.OutOfScope = syncengine.DeactivateOutOfScope
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.sync(t)
	v.cfg.Collections[0].AToB.Scope = func(r syncengine.Record) bool { return r.Fields["lastName"] != "One" }
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "One", true))
	want := []summary{
		{AID: "e1", BID: "lms-1", Action: syncengine.ActionDeactivate, Reason: syncengine.ReasonLeftScope, Fields: []string{"b.@active=false"}},
		{AID: "e2", Action: syncengine.ActionSkip, Reason: syncengine.ReasonOutOfScope},
	}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
}

func TestDeactivationThreshold(t *testing.T) {
	tests := []struct {
		name string
		th   syncengine.Threshold
		held bool
	}{
		{"count exceeded", syncengine.Threshold{MaxCount: 2}, true},
		{"count at limit", syncengine.Threshold{MaxCount: 3}, false},
		{"percent exceeded", syncengine.Threshold{MaxPercent: 25}, true},
		{"percent within", syncengine.Threshold{MaxPercent: 30}, false},
		{"off", syncengine.Threshold{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			for _, id := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"} {
				v.hr.Put(syncengine.Users, person("e"+id, id+"@example.com", "N", id, true))
			}
			v.sync(t)
			// A bad filter: three people look terminated, and one new hire arrives.
			for _, id := range []string{"1", "2", "3"} {
				v.hr.Put(syncengine.Users, person("e"+id, id+"@example.com", "N", id, false))
			}
			v.hr.Put(syncengine.Users, person("e11", "11@example.com", "N", "11", true))
			v.cfg.Threshold = tt.th
			v.lms.ResetCalls()
			p := v.plan(t)
			rep, err := v.engine(t).Sync(context.Background())
			if tt.held {
				if !errors.Is(err, syncengine.ErrThresholdExceeded) {
					t.Fatalf("err = %v, want ErrThresholdExceeded", err)
				}
				if v.lms.Writes() != 0 {
					t.Errorf("held run wrote %d times", v.lms.Writes())
				}
				if p.Held == nil || p.Held.Deactivations != 3 || rep.Held == nil {
					t.Errorf("held = %+v / %+v", p.Held, rep.Held)
				}
				held := 0
				for _, c := range p.Changes {
					if c.Reason == syncengine.ReasonHeldBack {
						held++
					}
				}
				if held != 3 || !strings.Contains(p.String(), "all held back") {
					t.Errorf("held back %d, plan:\n%s", held, p)
				}
				// The reviewer allows the deactivations.
				if _, err := v.engine(t).Apply(context.Background(), p.AllowDeactivations()); err != nil {
					t.Fatal(err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			active := 0
			for _, r := range v.lms.Records(syncengine.Users) {
				if r.Active {
					active++
				}
			}
			if active != 8 {
				t.Errorf("active learners = %d, want 8", active)
			}
		})
	}
}

func TestUnknownCreateOutcomeAdoptsFoundRecord(t *testing.T) {
	for _, kind := range []syncenginetest.FaultKind{syncenginetest.AppliedUnknown, syncenginetest.AppliedTimeout,
		syncenginetest.FailUnknown, syncenginetest.FailTimeout} {
		for _, find := range []bool{true, false} {
			name := string(kind)
			if !find {
				name += "/list scan"
			}
			t.Run(name, func(t *testing.T) {
				v := newEnv(nil, nil)
				if !find {
					v.lms.SetCapabilities(syncengine.Users, syncenginetest.AllCapabilities&^syncengine.CanFind)
				}
				v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
				v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Times: 1, Kind: kind})
				rep := v.sync(t)
				if rep.Failed() {
					t.Fatalf("run failed: %+v", rep.Outcomes)
				}
				got := emails(t, v.lms)
				if len(got) != 1 {
					t.Fatalf("sink = %v", got)
				}
				if v.links(t)["e1"] != got["a@example.com"].ID {
					t.Errorf("link = %v, record %s", v.links(t), got["a@example.com"].ID)
				}
				creates := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpCreate })
				wantCreates := 1
				if kind == syncenginetest.FailUnknown || kind == syncenginetest.FailTimeout {
					wantCreates = 2 // the look-up proved the first did not happen
				}
				if creates != wantCreates {
					t.Errorf("creates = %d, want %d", creates, wantCreates)
				}
			})
		}
	}
}

func TestUnknownCreateWithoutMatchKeyIsNotRetried(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections[0].AToB.Match = nil
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Times: 1, Kind: syncenginetest.AppliedUnknown})
	rep := v.sync(t)
	if !rep.Failed() || len(v.lms.Records(syncengine.Users)) != 1 {
		t.Errorf("want one failed create and one record; report %+v", rep.Outcomes)
	}
}

func TestOneFailureDoesNotStopOthers(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Retries = -1
	for _, id := range []string{"1", "2", "3", "4"} {
		v.hr.Put(syncengine.Users, person("e"+id, id+"@example.com", "N", id, true))
	}
	v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Skip: 1, Times: 1})
	rep := v.sync(t)
	if rep.Counts["failed"] != 1 || rep.Counts["created"] != 3 || len(v.lms.Records(syncengine.Users)) != 3 {
		t.Errorf("counts = %v", rep.Counts)
	}
	// The next run creates the one that failed.
	rep = v.sync(t)
	if rep.Counts["created"] != 1 || len(emails(t, v.lms)) != 4 {
		t.Errorf("rerun counts = %v", rep.Counts)
	}
}

func TestRelinkWhenTargetDeleted(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.sync(t)
	old := v.links(t)["e1"]
	v.lms.Delete(syncengine.Users, old)
	v.sync(t)
	if now := v.links(t)["e1"]; now == old || now == "" {
		t.Errorf("link after target deletion = %q (was %q)", now, old)
	}
	if len(emails(t, v.lms)) != 1 {
		t.Error("want the learner recreated once")
	}
}

func TestHeldPlanSubset(t *testing.T) {
	v := newEnv(nil, nil)
	for _, id := range []string{"1", "2", "3"} {
		v.hr.Put(syncengine.Users, person("e"+id, id+"@example.com", "N", id, true))
	}
	v.sync(t)
	v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", false))
	v.hr.Put(syncengine.Users, person("e2", "2@example.com", "N", "2", false))
	v.hr.Put(syncengine.Users, person("e4", "4@example.com", "N", "4", true))
	v.cfg.Threshold.MaxCount = 1
	eng := v.engine(t)
	p := v.plan(t)
	if p.Held == nil {
		t.Fatal("plan not held")
	}
	if _, err := eng.Apply(context.Background(), p); !errors.Is(err, syncengine.ErrThresholdExceeded) {
		t.Fatalf("Apply(held) err = %v", err)
	}
	if _, err := eng.Apply(context.Background(), p.Only("e1")); !errors.Is(err, syncengine.ErrThresholdExceeded) {
		t.Errorf("a subset with a held deactivation must stay held: %v", err)
	}
	// The new hire alone can be imported while the deactivations wait.
	if _, err := eng.Apply(context.Background(), p.Only("e4")); err != nil {
		t.Fatal(err)
	}
	got := emails(t, v.lms)
	if len(got) != 4 || !got["1@example.com"].Active || !got["2@example.com"].Active {
		t.Errorf("sink = %+v", got)
	}
}
