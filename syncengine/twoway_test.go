package syncengine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

func TestDirectionBToA(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.BToA
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "A", "One", true))
	v.lms.Put(syncengine.Users, learner("l2", "b@example.com", "B", "Two", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "Bee", "Two", true))
	v.hr.Put(syncengine.Users, person("e3", "c@example.com", "C", "Three", true)) // not a source: left alone
	want := []summary{
		{AID: "e2", BID: "l2", Action: syncengine.ActionUpdate, Fields: []string{"a.firstName=B"}},
		{BID: "l1", Action: syncengine.ActionCreate, Fields: []string{"a.email=a@example.com", "a.firstName=A", "a.lastName=One"}},
	}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Fatalf("plan (-want +got):\n%s", diff)
	}
	v.sync(t)
	hr := emails(t, v.hr)
	if len(hr) != 3 || hr["b@example.com"].Fields["firstName"] != "B" || v.lms.Writes() != 0 {
		t.Errorf("hr = %v, lms writes %d", hr, v.lms.Writes())
	}
	if l := v.links(t); l[hr["a@example.com"].ID] != "l1" || l["e2"] != "l2" {
		t.Errorf("links = %v", l)
	}
	if v.plan(t).HasChanges() {
		t.Error("second plan has changes")
	}
}

// twoWayEnv syncs one linked pair, then returns it for edits.
func twoWayEnv(t *testing.T, policy syncengine.ConflictPolicy) *env {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Conflict = policy
	v.cfg.Collections[0].AToB = rules(hrToLMS, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
	v.sync(t)
	if v.plan(t).HasChanges() {
		t.Fatal("two-way setup does not settle")
	}
	return v
}

func TestTwoWay(t *testing.T) {
	type edit struct{ hrFirst, lmsFirst, hrLast, lmsLast string }
	tests := []struct {
		name      string
		policy    syncengine.ConflictPolicy
		edit      edit
		want      []string // plan's field writes
		conflicts int
		action    syncengine.Action
		hrFirst   string // after sync
		lmsFirst  string
	}{
		{name: "changed on A flows to B", edit: edit{hrFirst: "Anna"},
			want: []string{"b.first_name=Anna"}, action: syncengine.ActionUpdate, hrFirst: "Anna", lmsFirst: "Anna"},
		{name: "changed on B flows to A", edit: edit{lmsFirst: "Annie"},
			want: []string{"a.firstName=Annie"}, action: syncengine.ActionUpdate, hrFirst: "Annie", lmsFirst: "Annie"},
		{name: "both sides, different fields", edit: edit{hrFirst: "Anna", lmsLast: "Uno"},
			want: []string{"a.lastName=Uno", "b.first_name=Anna"}, action: syncengine.ActionUpdate, hrFirst: "Anna", lmsFirst: "Anna"},
		{name: "conflict reported and skipped", policy: syncengine.ReportConflict, edit: edit{hrFirst: "Anna", lmsFirst: "Annie"},
			conflicts: 2, action: syncengine.ActionConflict, hrFirst: "Anna", lmsFirst: "Annie"},
		{name: "conflict, A wins", policy: syncengine.AWins, edit: edit{hrFirst: "Anna", lmsFirst: "Annie"},
			want: []string{"b.first_name=Anna"}, conflicts: 2, action: syncengine.ActionUpdate, hrFirst: "Anna", lmsFirst: "Anna"},
		{name: "conflict, B wins", policy: syncengine.BWins, edit: edit{hrFirst: "Anna", lmsFirst: "Annie"},
			want: []string{"a.firstName=Annie"}, conflicts: 2, action: syncengine.ActionUpdate, hrFirst: "Annie", lmsFirst: "Annie"},
		{name: "same change on both sides", edit: edit{hrFirst: "Anna", lmsFirst: "Anna"},
			action: syncengine.ActionSkip, hrFirst: "Anna", lmsFirst: "Anna"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := twoWayEnv(t, tt.policy)
			hrRec, _ := v.hr.Record(syncengine.Users, "e1")
			lmsID := v.links(t)["e1"]
			lmsRec, _ := v.lms.Record(syncengine.Users, lmsID)
			set := func(r *syncengine.Record, f, val string) {
				if val != "" {
					r.Fields[f] = val
				}
			}
			set(&hrRec, "firstName", tt.edit.hrFirst)
			set(&hrRec, "lastName", tt.edit.hrLast)
			set(&lmsRec, "first_name", tt.edit.lmsFirst)
			set(&lmsRec, "last_name", tt.edit.lmsLast)
			v.hr.Put(syncengine.Users, hrRec)
			v.lms.Put(syncengine.Users, lmsRec)
			p := v.plan(t)
			if len(p.Changes) != 1 {
				t.Fatalf("plan:\n%s", p)
			}
			c := p.Changes[0]
			if diff := cmp.Diff(tt.want, summarize(p)[0].Fields); diff != "" {
				t.Errorf("writes (-want +got):\n%s\n%s", diff, p)
			}
			if c.Action != tt.action || len(c.Conflicts) != tt.conflicts {
				t.Errorf("action %s with %d conflicts, want %s with %d:\n%s", c.Action, len(c.Conflicts), tt.action, tt.conflicts, p)
			}
			v.sync(t)
			hrRec, _ = v.hr.Record(syncengine.Users, "e1")
			lmsRec, _ = v.lms.Record(syncengine.Users, lmsID)
			if hrRec.Fields["firstName"] != tt.hrFirst || lmsRec.Fields["first_name"] != tt.lmsFirst {
				t.Errorf("after sync: hr %v, lms %v", hrRec.Fields["firstName"], lmsRec.Fields["first_name"])
			}
			// A settled pair plans nothing more; an unsettled conflict is
			// reported again, and still writes nothing.
			v.hr.ResetCalls()
			v.lms.ResetCalls()
			p = v.plan(t)
			if p.HasChanges() {
				t.Errorf("second plan has changes:\n%s", p)
			}
			if got := p.Summary().Conflict; got != map[bool]int{true: 1, false: 0}[tt.action == syncengine.ActionConflict] {
				t.Errorf("second plan reports %d conflicts", got)
			}
			v.sync(t)
			if v.hr.Writes()+v.lms.Writes() != 0 {
				t.Errorf("second run wrote hr %d, lms %d", v.hr.Writes(), v.lms.Writes())
			}
		})
	}
}

func TestTwoWayFirstMatchDifferencesAreConflicts(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Collections[0].AToB = rules(hrToLMS, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
	v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "Anne", "One", true))
	p := v.plan(t)
	if c := p.Changes[0]; c.Action != syncengine.ActionConflict || len(c.Conflicts) != 2 || c.Synced == nil {
		t.Fatalf("never-synced difference should be a reported conflict (and the match linked):\n%s", p)
	}
	v.sync(t)
	if v.links(t)["e1"] != "l1" {
		t.Error("matched pair not linked")
	}
}

// TestTalentHRTalentLMSRules expresses the TalentHR ⇔ TalentLMS job as
// configuration: HR→LMS creates, updates and deactivates; LMS→HR only
// creates missing employees and never overwrites HR fields.
func TestTalentHRTalentLMSRules(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Collections[0].AToB = rules(hrToLMS, syncengine.Rules{Create: true, Update: true, Deactivate: true}, byEmail...)
	v.cfg.Collections[0].BToA = rules(lmsToHR, syncengine.Rules{Create: true}, byEmail...)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "Bob", "Two", false))
	v.hr.Put(syncengine.Users, person("e3", "c@example.com", "Cy", "Three", false))
	v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "Annie", "One", true))
	v.lms.Put(syncengine.Users, learner("l2", "b@example.com", "Bob", "Two", true))
	v.lms.Put(syncengine.Users, learner("l4", "d@example.com", "Di", "Four", true))
	want := []summary{
		// HR wins the first match: LMS→HR may not update.
		{AID: "e1", BID: "l1", Action: syncengine.ActionUpdate, Fields: []string{"b.first_name=Ann"}},
		// Inactive in HR and present in LMS: deactivated.
		{AID: "e2", BID: "l2", Action: syncengine.ActionDeactivate, Reason: syncengine.ReasonInactive, Fields: []string{"b.@active=false"}},
		// Inactive in HR and absent from LMS: ignored.
		{AID: "e3", Action: syncengine.ActionSkip, Reason: syncengine.ReasonInactive},
		// Only in LMS: the employee is created in HR.
		{BID: "l4", Action: syncengine.ActionCreate, Fields: []string{"a.email=d@example.com", "a.firstName=Di", "a.lastName=Four"}},
	}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Fatalf("plan (-want +got):\n%s", diff)
	}
	v.sync(t)
	// An LMS admin edits a name: HR is not overwritten, and HR's value is
	// asserted again on the LMS.
	l1, _ := v.lms.Record(syncengine.Users, "l1")
	l1.Fields["first_name"] = "Edited"
	v.lms.Put(syncengine.Users, l1)
	want = []summary{
		{AID: "e1", BID: "l1", Action: syncengine.ActionUpdate, Fields: []string{"b.first_name=Ann"}},
		{AID: "e2", BID: "l2", Action: syncengine.ActionSkip, Reason: syncengine.ReasonUnchanged},
		{AID: "e3", Action: syncengine.ActionSkip, Reason: syncengine.ReasonInactive},
		{AID: emails(t, v.hr)["d@example.com"].ID, BID: "l4", Action: syncengine.ActionSkip, Reason: syncengine.ReasonUnchanged},
	}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Errorf("plan after LMS edit (-want +got):\n%s", diff)
	}
}
