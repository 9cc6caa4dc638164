package syncengine_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// B -> A: the manager's A record was deleted and made again by hand, and
// the manager (source l2) is matched to it again: the new link replaces
// the stale one (stored under the deleted A id), so later runs translate
// l2 to the new record only.
func TestBToARematchDropsStaleLink(t *testing.T) {
	v, l1, _ := btoaManagerRemade(t)
	rep := v.sync(t)
	if rep.Failed() {
		t.Fatalf("run 2: %s; links %v", rep.Summary(), v.links(t))
	}
	// l1 is renamed; its manager must stay a-byhand.
	l1.Fields["last_name"] = "Renamed"
	v.lms.Put(syncengine.Users, l1)
	for run := 3; run <= 4; run++ {
		p := v.plan(t)
		rep = v.sync(t)
		h1 := userByEmail(v.hr, "1@example.com")
		if rep.Failed() || len(h1.Refs["manager"]) != 1 || h1.Refs["manager"][0].ID != "a-byhand" {
			t.Errorf("run %d: hr e1 manager %v, want [a-byhand]; links %v; %s\nplan:\n%s\n%+v", run, h1.Refs["manager"], v.links(t), rep.Summary(), p, rep.Outcomes)
		}
	}
}

// The manager's account was deleted and two accounts with the manager's
// email now exist (made by hand): the manager is in a matching conflict,
// and its stale link translates nothing, so the report's write never
// names the deleted account.
func TestStaleLinkOfConflictedManager(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, e1, gone := deletedManager(t, cheap, false)
		v.lms.Put(syncengine.Users, learner("dup1", "2@example.com", "M", "2", true))
		v.lms.Put(syncengine.Users, learner("dup2", "2@example.com", "M", "2", true))
		renameAfterDeletion(t, v, e1)
		v.lms.ResetCalls()
		p := v.plan(t)
		rep := v.sync(t)
		got := userByEmail(v.lms, "1@example.com")
		for _, c := range v.lms.Calls() {
			if (c.Op == syncenginetest.OpWrite || c.Op == syncenginetest.OpWriteRefs) && len(c.Refs["manager"]) > 0 && c.Refs["manager"][0].ID == gone {
				t.Errorf("cheap %v: a write names the deleted account %s: %+v", cheap, gone, c)
			}
		}
		if got.Fields["last_name"] != "Renamed" {
			t.Errorf("cheap %v: e1 last_name %v; %s\nplan:\n%s\noutcomes %+v", cheap, got.Fields["last_name"], rep.Summary(), p, rep.Outcomes)
		}
	}
}

// KeepUnmanagedRefs, the manager's account deleted and made again by hand
// (matched again in this run): the deleted account, still e1's manager in
// the target, was managed, so it is replaced, not kept next to the new one.
func TestRematchedManagerDeletedAccountNotKept(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, _, _ := deletedManager(t, cheap, true)
		v.lms.Put(syncengine.Users, learner("byhand", "2@example.com", "M", "2", true))
		p := v.plan(t)
		rep := v.sync(t)
		if got := emails(t, v.lms)["1@example.com"].Refs["manager"]; rep.Failed() || len(got) != 1 || got[0].ID != "byhand" {
			t.Errorf("cheap %v: e1's manager %v, want [byhand]; %s\nplan:\n%s\n%+v", cheap, got, rep.Summary(), p, rep.Outcomes)
		}
	}
}

// The manager's account was deleted (stale link; the plan creates it
// again). Applying only the report e1 (Plan.Only), without the manager's
// create, e1's manager does not translate through the stale link to the
// deleted account: it waits for the manager's create.
func TestOnlySubsetSkipsStaleLink(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, e1, _ := deletedManager(t, cheap, false)
		renameAfterDeletion(t, v, e1)
		v.lms.ResetCalls()
		p := v.plan(t)
		sub, err := p.Select("e1")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.engine(t).Apply(context.Background(), sub)
		if err != nil {
			t.Fatal(err)
		}
		var wrote []syncenginetest.Call
		for _, c := range v.lms.Calls() {
			if c.Op == syncenginetest.OpWrite || c.Op == syncenginetest.OpWriteRefs {
				wrote = append(wrote, c)
			}
		}
		got := emails(t, v.lms)["1@example.com"]
		if rep.Failed() || got.Fields["last_name"] != "Renamed" {
			t.Errorf("cheap %v: e1 last_name %v refs %v; %s\nplan:\n%s\noutcomes %+v\ncalls %+v", cheap, got.Fields["last_name"], got.Refs,
				rep.Summary(), sub, rep.Outcomes, wrote)
		}
	}
}
