package syncengine_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// TestMatchConflictsAreReported covers the matching conflicts that
// TestPlanOutcomes does not: two new people sharing a key with no target
// (creating both would duplicate), and a person whose key finds a target
// already linked to someone else. Neither is a silent pick, and applying
// the plan creates or links none of them.
func TestMatchConflictsAreReported(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "shared@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", " Shared@Example.com", "B", "Two", true))
	v.hr.Put(syncengine.Users, person("e3", "cy@example.com", "C", "Three", true))
	v.hr.Put(syncengine.Users, person("e4", "cy@example.com", "C", "Four", false)) // inactive: would not be created
	v.hr.Put(syncengine.Users, person("e5", "dee@example.com", "D", "Five", true))
	v.lms.Put(syncengine.Users, learner("l0", "dee@example.com", "D", "Zero", true))
	v.hr.Put(syncengine.Users, person("e0", "old@example.com", "D", "Zero", true))
	v.link(t, "e0", "l0") // l0 is e0's, although e5's email matches it
	want := []summary{
		{AID: "e0", BID: "l0", Action: syncengine.ActionUpdate, Fields: []string{"b.email=old@example.com"}},
		{AID: "e1", Action: syncengine.ActionConflict},
		{AID: "e2", Action: syncengine.ActionConflict},
		{AID: "e3", Action: syncengine.ActionCreate, Fields: []string{"b.email=cy@example.com", "b.first_name=C", "b.last_name=Three"}},
		{AID: "e4", Action: syncengine.ActionSkip, Reason: syncengine.ReasonInactive},
		{AID: "e5", BID: "l0", Action: syncengine.ActionConflict},
	}
	p := v.plan(t)
	if diff := cmp.Diff(want, summarize(p)); diff != "" {
		t.Fatalf("plan (-want +got):\n%s\n%s", diff, p)
	}
	for _, c := range p.Changes {
		if c.Action == syncengine.ActionConflict && c.Error == "" {
			t.Errorf("conflict for %s has no explanation", c.AID)
		}
		if c.AID == "e5" && !strings.Contains(c.Error, "already linked to e0") {
			t.Errorf("e5 error = %q, want it to name e0's link", c.Error)
		}
	}
	v.sync(t)
	if diff := cmp.Diff(map[string]string{"e0": "l0", "e3": "lms-1"}, v.links(t)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

// TestTwoWayMatchConflictNotPairedByReversePass: a record reported as a
// matching conflict in one direction must not then be paired silently by
// the other direction's match pass.
func TestTwoWayMatchConflictNotPairedByReversePass(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Collections[0].AToB = rules(hrToLMS, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	// e1 finds two learners by email: a conflict. Each learner, matching
	// back, finds only e1.
	v.hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "One", true))
	v.lms.Put(syncengine.Users, learner("l1", "ana@example.com", "Ana", "One", true))
	v.lms.Put(syncengine.Users, learner("l2", "ANA@example.com", "Ana", "Two", true))
	p := v.plan(t)
	for _, c := range p.Changes {
		if c.AID == "e1" && c.BID != "" && c.Action != syncengine.ActionConflict {
			t.Errorf("e1 paired with %s (%s) despite its conflict:\n%s", c.BID, c.Action, p)
		}
		if c.Action == syncengine.ActionCreate {
			t.Errorf("a conflicted record is created:\n%s", p)
		}
	}
	if p.HasChanges() {
		t.Errorf("plan writes:\n%s", p)
	}
}

// TestTwoWayConflictNotPairedByOtherKey: with different match keys per
// direction, a record whose forward key hits a target already linked must
// not be paired with another record by the reverse key in the same plan.
func TestTwoWayConflictNotPairedByOtherKey(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	toLMS, toHR := hrToLMS, lmsToHR
	toLMS.rename = map[string]string{"email": "email", "firstName": "first_name", "lastName": "last_name", "no": "hr_no"}
	toHR.rename = map[string]string{"email": "email", "first_name": "firstName", "last_name": "lastName", "hr_no": "no"}
	v.cfg.Collections[0].AToB = rules(toLMS, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(toHR, allowAll, syncengine.MatchKey{Field: "no"})
	e0 := person("e0", "zed@example.com", "Zed", "Zero", true)
	e0.Fields["no"] = "0"
	e5 := person("e5", "dee@example.com", "Dee", "Five", true)
	e5.Fields["no"] = "5"
	l0 := learner("l0", "dee@example.com", "Zed", "Zero", true) // linked to e0, but carries e5's email
	l0.Fields["hr_no"] = "0"
	l9 := learner("l9", "other@example.com", "Dee", "Five", true)
	l9.Fields["hr_no"] = "5" // finds e5 by number
	v.hr.Put(syncengine.Users, e0)
	v.hr.Put(syncengine.Users, e5)
	v.lms.Put(syncengine.Users, l0)
	v.lms.Put(syncengine.Users, l9)
	v.link(t, "e0", "l0")
	p := v.plan(t)
	var conflict, paired bool
	for _, c := range p.Changes {
		if c.AID != "e5" {
			continue
		}
		switch {
		case c.Action == syncengine.ActionConflict && c.BID == "l0":
			conflict = true
		case c.Action != syncengine.ActionConflict || c.Link:
			paired = true
		}
	}
	if !conflict || paired {
		t.Errorf("e5: conflict reported %v, also paired %v:\n%s", conflict, paired, p)
	}
	v.sync(t)
	if diff := cmp.Diff(map[string]string{"e0": "l0"}, v.links(t)); diff != "" {
		t.Errorf("links after sync (-want +got):\n%s", diff)
	}
}

// Duplicate creates are found on every match key, not only the first one
// a record has: two new people with different external ids and the same
// email are both conflicts, and so is a new person whose email a linked
// person's update is about to give its learner.
func TestDuplicateCreatesOnEveryMatchKey(t *testing.T) {
	withExt := fieldMap{rename: map[string]string{"ext": "external_id", "email": "email", "firstName": "first_name"}}
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithUnique(syncengine.Users, "email")})
	v.cfg.Collections[0].AToB = rules(withExt, allowAll,
		syncengine.MatchKey{Field: "external_id"}, syncengine.MatchKey{Field: "email", Fold: true})
	put := func(id, ext, email string) {
		v.hr.Put(syncengine.Users, syncengine.Record{ID: id, Active: true,
			Fields: map[string]any{"ext": ext, "email": email, "firstName": id}})
	}
	put("e1", "X1", "twin@example.com")
	put("e2", "X2", " Twin@Example.com")
	put("e3", "X3", "cy@example.com")
	v.lms.Put(syncengine.Users, syncengine.Record{ID: "l3", Active: true,
		Fields: map[string]any{"external_id": "X3", "email": "cy@example.com", "first_name": "e3"}})
	v.sync(t)
	if diff := cmp.Diff(map[string]string{"e3": "l3"}, v.links(t)); diff != "" {
		t.Fatalf("links after first sync (-want +got):\n%s", diff)
	}

	put("e3", "X3", "new@example.com") // e3's email changes...
	put("e4", "X4", "NEW@example.com") // ...to the email of a new hire
	p := v.plan(t)
	got := map[string]syncengine.Action{}
	for _, c := range p.Changes {
		got[c.AID] = c.Action
		if c.Action == syncengine.ActionConflict && !strings.Contains(c.Error, "email") {
			t.Errorf("%s: conflict %q does not name the key", c.AID, c.Error)
		}
	}
	want := map[string]syncengine.Action{"e1": syncengine.ActionConflict, "e2": syncengine.ActionConflict,
		"e3": syncengine.ActionUpdate, "e4": syncengine.ActionConflict}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("actions (-want +got):\n%s\n%s", diff, p)
	}
	rep := v.sync(t)
	if rep.Counts[syncengine.ResultCreated] != 0 || rep.Counts[syncengine.ResultFailed] != 3 || len(v.lms.Records(syncengine.Users)) != 1 {
		t.Errorf("sync created or failed: %d learners\n%s", len(v.lms.Records(syncengine.Users)), p)
	}
}
