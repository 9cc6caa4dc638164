package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func lmsWrites(k *syncenginetest.Connector) (creates, writes int, perID map[string]int) {
	perID = map[string]int{}
	for _, c := range k.Calls() {
		switch c.Op {
		case syncenginetest.OpCreate:
			creates++
		case syncenginetest.OpWrite, syncenginetest.OpWriteRefs, syncenginetest.OpUpdate:
			writes++
			perID[c.ID]++
		}
	}
	return
}

// A matched pair whose change waits for the creates (its manager is new)
// is referred to by a matched pair written before the creates: the
// reference translates through the plan's match, so each is one write.
func TestEarlyWriteRefersToLateMatchedPair(t *testing.T) {
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability)})
	v.cfg.Concurrency = 1
	c := person("c", "c@example.com", "C", "Top", true) // new: created
	m := person("m", "m@example.com", "M", "Mid", true) // existing account, reports to c
	m.Refs = map[string][]syncengine.Ref{"manager": {personRef("c")}}
	x := person("x", "x@example.com", "X", "Low", true) // existing account, reports to m
	x.Refs = map[string][]syncengine.Ref{"manager": {personRef("m")}}
	for _, r := range []syncengine.Record{c, m, x} {
		v.hr.Put(syncengine.Users, r)
	}
	v.lms.Put(syncengine.Users, learner("lm", "m@example.com", "M", "Stale", true))
	v.lms.Put(syncengine.Users, learner("lx", "x@example.com", "X", "Stale", true))
	rep := v.sync(t)
	if rep.Failed() {
		t.Fatalf("%s", rep.Summary())
	}
	creates, writes, per := lmsWrites(v.lms)
	if got := emails(t, v.lms)["x@example.com"].Refs["manager"]; len(got) != 1 || got[0].ID != "lm" {
		t.Fatalf("x's manager = %v", got)
	}
	if creates != 1 || writes != 2 {
		t.Errorf("want 1 create + 2 writes (one per existing learner); got %d creates, %d writes %v", creates, writes, per)
	}
}

// Two-way, a first sync where both people already have accounts (matched
// by email, the manager's identical, so its change writes neither side):
// the report's write carries the manager, one write.
func TestTwoWayMatchedManagerInOneWrite(t *testing.T) {
	for _, dir := range []syncengine.Direction{syncengine.AToB, syncengine.TwoWay} {
		v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability)})
		v.cfg.Concurrency = 1
		v.cfg.Direction = dir
		if dir == syncengine.TwoWay {
			v.cfg.Conflict = syncengine.AWins
			v.cfg.Collections[0].BToA = rules(lmsToHR, syncengine.Rules{Create: true, Update: true}, byEmail...)
		}
		e1 := person("e1", "1@example.com", "N", "New", true)
		e1.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
		v.hr.Put(syncengine.Users, e1)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
		v.lms.Put(syncengine.Users, learner("l1", "1@example.com", "N", "Old", true))
		v.lms.Put(syncengine.Users, learner("l2", "2@example.com", "M", "2", true))
		rep := v.sync(t)
		if rep.Failed() {
			t.Fatalf("%v: %s %+v", dir, rep.Summary(), rep.Outcomes)
		}
		if got := emails(t, v.lms)["1@example.com"].Refs["manager"]; len(got) != 1 || got[0].ID != "l2" {
			t.Fatalf("%v: e1's manager = %v", dir, got)
		}
		_, writes, per := lmsWrites(v.lms)
		if writes != 1 {
			t.Errorf("%v: %d writes to the LMS %v, want 1 (l1's name and manager together)", dir, writes, per)
		}
	}
}

// A manager who left (inactive in HR) and whose account was deleted in
// the target (which cleared the reports' manager): the stale link
// translates no reference, so a report's write never names the deleted
// account and its own field change applies.
func TestStaleLinkOfLeaverTranslatesNothing(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, e1, _ := deletedManager(t, cheap, false)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", false)) // the manager left
		renameAfterDeletion(t, v, e1)
		p := v.plan(t)
		rep := v.sync(t)
		got := emails(t, v.lms)["1@example.com"]
		if rep.Failed() || got.Fields["last_name"] != "Renamed" || len(got.Refs["manager"]) != 0 {
			t.Errorf("cheap %v: e1 is %v %v; %s\nplan:\n%s\noutcomes %+v", cheap, got.Fields, got.Refs, rep.Summary(), p, rep.Outcomes)
		}
	}
}

// KeepUnmanagedRefs with a recreated manager: the deleted account, still
// e1's manager in the target, was managed (its link is stale), so it is
// replaced by the new account, not kept next to it.
func TestRecreatedManagerNotKeptAsUnmanaged(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, _, _ := deletedManager(t, cheap, true)
		p := v.plan(t)
		rep := v.sync(t)
		mgr := v.links(t)["e2"]
		if got := emails(t, v.lms)["1@example.com"].Refs["manager"]; rep.Failed() || len(got) != 1 || got[0].ID != mgr {
			t.Errorf("cheap %v: e1's manager %v, want [%s]; %s\nplan:\n%s\n%+v", cheap, got, mgr, rep.Summary(), p, rep.Outcomes)
		}
	}
}

// A new learner whose manager already has an account, that manager's own
// manager being new: the create carries the matched manager (the plan's
// match translates before the manager's change stores the link).
func TestCreateRefersToLateMatchedPair(t *testing.T) {
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability)})
	c := person("c", "c@example.com", "C", "Top", true)
	m := person("m", "m@example.com", "M", "Mid", true)
	m.Refs = map[string][]syncengine.Ref{"manager": {personRef("c")}}
	n := person("n", "n@example.com", "N", "New", true)
	n.Refs = map[string][]syncengine.Ref{"manager": {personRef("m")}}
	for _, r := range []syncengine.Record{c, m, n} {
		v.hr.Put(syncengine.Users, r)
	}
	v.lms.Put(syncengine.Users, learner("lm", "m@example.com", "M", "Mid", true))
	rep := v.sync(t)
	if rep.Failed() {
		t.Fatalf("%s", rep.Summary())
	}
	creates, writes, per := lmsWrites(v.lms)
	if creates != 2 || writes != 1 {
		t.Errorf("want 2 creates (each with its manager) + 1 write (m's manager); got %d creates, %d writes %v", creates, writes, per)
	}
}

// The manager's account was deleted and made again by hand (same email):
// the manager is matched again in this run (and gets a new manager, so
// its change waits for the creates). Its report's write names the new
// account, not the deleted one the stale link held.
func TestRematchedManagerReplacesStaleLink(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, e1, _ := deletedManager(t, cheap, false)
		v.lms.Put(syncengine.Users, learner("byhand", "2@example.com", "M", "2", true))
		e2 := person("e2", "2@example.com", "M", "2", true)
		e2.Refs = map[string][]syncengine.Ref{"manager": {personRef("c")}}
		v.hr.Put(syncengine.Users, e2)
		v.hr.Put(syncengine.Users, person("c", "c@example.com", "C", "Top", true))
		e1.Fields["lastName"] = "Renamed"
		v.hr.Put(syncengine.Users, e1)
		p := v.plan(t)
		rep := v.sync(t)
		got := emails(t, v.lms)["1@example.com"]
		if rep.Failed() || got.Fields["last_name"] != "Renamed" || len(got.Refs["manager"]) != 1 || got.Refs["manager"][0].ID != "byhand" {
			t.Errorf("cheap %v: e1 = %v %v; %s\nplan:\n%s\n%+v", cheap, got.Fields, got.Refs, rep.Summary(), p, rep.Outcomes)
		}
	}
}

// A new hire whose manager is inactive and whose account was purged: the
// create does not carry the deleted account, so the new hire gets one.
func TestNewHireOfPurgedInactiveManager(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v := newEnv(nil, nil)
		if cheap {
			v.lms.SetCapabilities(syncengine.Users, syncenginetest.EveryCapability)
		}
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
		v.sync(t)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", false)) // on leave / left
		v.sync(t)
		v.lms.Delete(syncengine.Users, v.links(t)["e2"]) // purged
		n := person("n", "n@example.com", "N", "New", true)
		n.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
		v.hr.Put(syncengine.Users, n)
		for run := range 2 {
			rep := v.sync(t)
			_, ok := emails(t, v.lms)["n@example.com"]
			if rep.Failed() || !ok {
				t.Errorf("cheap %v run %d: new hire has account %v; %s %+v", cheap, run, ok, rep.Summary(), rep.Outcomes)
			}
		}
	}
}
