package syncengine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// lookupModes are targets whose look-up reads the whole collection: no
// Finder (the engine lists), and a ManyFinder.
var lookupModes = []struct {
	name string
	caps syncengine.Capability
	op   syncenginetest.Op // the call a look-up makes
}{
	{"list scan", syncenginetest.AllCapabilities &^ syncengine.CanFind, syncenginetest.OpList},
	{"find many", syncenginetest.AllCapabilities | syncengine.CanFindMany, syncenginetest.OpFindMany},
}

// Creates whose outcome is unknown are looked up together after their
// level: k of them cost one read of the target, not k.
func TestUnknownCreatesShareOneLookup(t *testing.T) {
	const people, unknown = 6, 4
	for _, mode := range lookupModes {
		for _, kind := range []syncenginetest.FaultKind{syncenginetest.AppliedUnknown, syncenginetest.FailUnknown} {
			t.Run(mode.name+"/"+string(kind), func(t *testing.T) {
				v := newEnv(nil, nil)
				v.lms.SetCapabilities(syncengine.Users, mode.caps)
				for i := range people {
					v.hr.Put(syncengine.Users, person(fmt.Sprintf("e%d", i), fmt.Sprintf("p%d@example.com", i), "P", fmt.Sprint(i), true))
				}
				v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Times: unknown, Kind: kind})
				rep := v.sync(t)
				if rep.Failed() {
					t.Fatalf("run failed: %+v", rep.Outcomes)
				}
				got := emails(t, v.lms)
				if len(got) != people {
					t.Fatalf("sink has %d people, want %d: %v", len(got), people, got)
				}
				links := v.links(t)
				for i := range people {
					if r := got[fmt.Sprintf("p%d@example.com", i)]; links[fmt.Sprintf("e%d", i)] != r.ID {
						t.Errorf("e%d linked to %q, its record is %q", i, links[fmt.Sprintf("e%d", i)], r.ID)
					}
				}
				count := func(op syncenginetest.Op) int {
					return v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == op })
				}
				lookups := count(mode.op)
				if mode.op == syncenginetest.OpList {
					lookups-- // the plan's own listing
				}
				if lookups != 1 || count(syncenginetest.OpFind) != 0 {
					t.Errorf("%d look-ups (%s) and %d finds for %d unknown creates, want 1 and 0", lookups, mode.op, count(syncenginetest.OpFind), unknown)
				}
				wantCreates := people
				if kind == syncenginetest.FailUnknown {
					wantCreates += unknown // the look-up proved them absent
				}
				if n := count(syncenginetest.OpCreate); n != wantCreates {
					t.Errorf("creates = %d, want %d", n, wantCreates)
				}
			})
		}
	}
}

// twoPeople is e1 (a@) and e2 (b@) to create in a sink with caps, e1's
// creates failing with faults, one per attempt.
func twoPeople(caps syncengine.Capability, faults ...syncenginetest.FaultKind) *env {
	v := newEnv(nil, nil)
	v.lms.SetCapabilities(syncengine.Users, caps)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
	for _, kind := range faults {
		v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpCreate, Times: 1, Kind: kind,
			Match: func(c syncenginetest.Call) bool { return c.Fields["email"] == "a@example.com" }})
	}
	return v
}

// A create proven absent is sent again; when its outcome is unknown once
// more it is looked up again, in a second round.
func TestUnknownCreateLookedUpEachRound(t *testing.T) {
	for _, mode := range lookupModes {
		t.Run(mode.name, func(t *testing.T) {
			// e1's first create fails unseen, its second is applied unseen.
			v := twoPeople(mode.caps, syncenginetest.FailUnknown, syncenginetest.AppliedUnknown)
			rep := v.sync(t)
			if rep.Failed() {
				t.Fatalf("run failed: %+v", rep.Outcomes)
			}
			got := emails(t, v.lms)
			if len(got) != 2 || v.links(t)["e1"] != got["a@example.com"].ID {
				t.Fatalf("sink = %v, links = %v", got, v.links(t))
			}
			lookups := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == mode.op })
			if mode.op == syncenginetest.OpList {
				lookups--
			}
			if lookups != 2 {
				t.Errorf("%d look-ups, want 2 (one per round)", lookups)
			}
			if n := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpCreate }); n != 3 {
				t.Errorf("creates = %d, want 3", n)
			}
		})
	}
}

// A batched look-up never guesses: when two unlinked records hold the
// key of a create whose outcome was unknown (the one it made, and one
// someone added meanwhile), neither is adopted and the create fails.
func TestBatchedLookupNeverGuesses(t *testing.T) {
	for _, mode := range lookupModes {
		t.Run(mode.name, func(t *testing.T) {
			v := twoPeople(mode.caps, syncenginetest.AppliedUnknown)
			v.cfg.OnProgress = func(_, _ int, o syncengine.Outcome) {
				if o.AID == "e2" { // before the look-up of e1: someone adds a@ by hand
					v.lms.Put(syncengine.Users, learner("by-hand", "a@example.com", "A", "Other", true))
				}
			}
			rep := v.sync(t)
			var e1 *syncengine.Outcome
			for i := range rep.Outcomes {
				if rep.Outcomes[i].AID == "e1" {
					e1 = &rep.Outcomes[i]
				}
			}
			if e1 == nil || e1.Status != syncengine.StatusFailed || !strings.Contains(e1.Error, "2 records in lms have email") {
				t.Fatalf("e1's outcome = %+v, want failed on two records", e1)
			}
			if id, ok := v.links(t)["e1"]; ok {
				t.Errorf("e1 linked to %s", id)
			}
			if n := len(v.lms.Records(syncengine.Users)); n != 3 {
				t.Errorf("%d records, want 3 (b@, and a@ twice: nothing more created)", n)
			}
		})
	}
}

// An event naming k unlinked records looks their match candidates up
// together where one look-up reads the whole target: one List or one
// FindMany, not k; a plain Finder is asked once per record.
func TestEventCandidatesBatched(t *testing.T) {
	modes := append(lookupModes[:len(lookupModes):len(lookupModes)], struct {
		name string
		caps syncengine.Capability
		op   syncenginetest.Op
	}{"finder", syncenginetest.AllCapabilities, syncenginetest.OpFind})
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			v.lms.SetCapabilities(syncengine.Users, mode.caps)
			ids := []string{"e1", "e2", "e3"}
			for i, id := range ids {
				v.hr.Put(syncengine.Users, person(id, fmt.Sprintf("p%d@example.com", i), "P", id, true))
			}
			v.lms.Put(syncengine.Users, learner("l2", "P1@example.com", "Old", "Name", true)) // e2's, unlinked
			rep, err := v.engine(t).SyncIDs(t.Context(), syncengine.SideA, syncengine.Users, ids)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() || rep.Counts[syncengine.ResultCreated] != 2 {
				t.Fatalf("report %v: %+v", rep.Counts, rep.Outcomes)
			}
			if v.links(t)["e2"] != "l2" {
				t.Errorf("e2 linked to %q, want its learner l2", v.links(t)["e2"])
			}
			want := 1
			if mode.op == syncenginetest.OpFind {
				want = len(ids)
			}
			if n := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == mode.op }); n != want {
				t.Errorf("%d %s calls for %d named records, want %d", n, mode.op, len(ids), want)
			}
		})
	}
}
