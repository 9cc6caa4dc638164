package syncengine_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func teamRef(id string) syncengine.Ref   { return syncengine.Ref{Collection: syncengine.Teams, ID: id} }
func personRef(id string) syncengine.Ref { return syncengine.Ref{Collection: syncengine.Users, ID: id} }

func TestReferencesSecondPass(t *testing.T) {
	for _, mode := range []string{"record refs", "mapped refs"} {
		t.Run(mode, func(t *testing.T) {
			hidden := syncenginetest.WithScope(func(_ syncengine.Collection, r syncengine.Record) bool { return r.ID != "e99" })
			v := newEnv([]syncenginetest.Option{hidden}, nil)
			users := hrToLMS
			if mode == "mapped refs" {
				users.refs = map[string]string{"managerId": "manager"}
			}
			v.cfg.Collections = []syncengine.CollectionRules{
				{Collection: syncengine.Teams, AToB: rules(nil, allowAll, syncengine.MatchKey{Field: "name"})},
				{Collection: syncengine.Users, AToB: rules(users, allowAll, byEmail...)},
			}
			v.hr.Put(syncengine.Teams, syncengine.Record{ID: "t1", Active: true, Fields: map[string]any{"name": "Sales"}})
			add := func(r syncengine.Record, manager string) {
				r.Refs = map[string][]syncengine.Ref{"teams": {teamRef("t1")}}
				if mode == "mapped refs" {
					r.Fields["managerId"] = manager
				} else if manager != "" {
					r.Refs["manager"] = []syncengine.Ref{personRef(manager)}
				} else {
					r.Refs["manager"] = []syncengine.Ref{}
				}
				v.hr.Put(syncengine.Users, r)
			}
			// e1's manager e2 is created in the same run; e3's manager is out of scope.
			add(person("e1", "a@example.com", "A", "One", true), "e2")
			add(person("e2", "b@example.com", "B", "Boss", true), "")
			add(person("e3", "c@example.com", "C", "Three", true), "e99")
			add(person("e99", "z@example.com", "Z", "Hidden", true), "")
			p := v.plan(t)
			if !strings.Contains(p.String(), "manager: [] -> [users/(created in this run)]") {
				t.Errorf("plan does not show the pending manager:\n%s", p)
			}
			rep := v.sync(t)
			if rep.Failed() {
				t.Fatalf("sync failed: %+v", rep.Outcomes)
			}
			lms := emails(t, v.lms)
			team := v.lms.Records(syncengine.Teams)
			if len(team) != 1 {
				t.Fatalf("teams = %+v", team)
			}
			wantRefs := map[string]map[string][]syncengine.Ref{
				"a@example.com": {"manager": {personRef(lms["b@example.com"].ID)}, "teams": {teamRef(team[0].ID)}},
				"b@example.com": {"teams": {teamRef(team[0].ID)}},
				"c@example.com": {"teams": {teamRef(team[0].ID)}},
			}
			for email, want := range wantRefs {
				if diff := cmp.Diff(want, lms[email].Refs); diff != "" {
					t.Errorf("%s refs (-want +got):\n%s", email, diff)
				}
			}
			var note string
			for _, o := range rep.Outcomes {
				if o.AID == "e3" {
					note = o.Note
				}
			}
			if !strings.Contains(note, "manager not written: [users/e99] not synced") {
				t.Errorf("e3's out-of-scope manager not reported: %q", note)
			}
			v.lms.ResetCalls()
			v.sync(t)
			if n := v.lms.Writes(); n != 0 {
				t.Errorf("second run wrote %d times: %+v", n, v.lms.Calls())
			}
			// A manager change is an update of references only.
			e1, _ := v.hr.Record(syncengine.Users, "e1")
			if mode == "mapped refs" {
				e1.Fields["managerId"] = "e3"
			} else {
				e1.Refs["manager"] = []syncengine.Ref{personRef("e3")}
			}
			v.hr.Put(syncengine.Users, e1)
			v.sync(t)
			a, _ := v.lms.Record(syncengine.Users, lms["a@example.com"].ID)
			if diff := cmp.Diff([]syncengine.Ref{personRef(lms["c@example.com"].ID)}, a.Refs["manager"]); diff != "" {
				t.Errorf("manager after change (-want +got):\n%s", diff)
			}
		})
	}
}

// A source record's own references reach a target only in the roles the
// target takes (RefRoler): an HR employee's teams do not reach an LMS
// that keeps only a manager, where writing them would fail every run.
func TestReferencesOnlyInRolesTheTargetTakes(t *testing.T) {
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithRefRoles(syncengine.Users, "manager")})
	v.cfg.Collections = []syncengine.CollectionRules{
		{Collection: syncengine.Teams, AToB: rules(nil, allowAll, syncengine.MatchKey{Field: "name"})},
		{Collection: syncengine.Users, AToB: rules(hrToLMS, allowAll, byEmail...)},
	}
	v.hr.Put(syncengine.Teams, syncengine.Record{ID: "t1", Active: true, Fields: map[string]any{"name": "Sales"}})
	boss := person("e2", "b@example.com", "B", "Boss", true)
	boss.Refs = map[string][]syncengine.Ref{"teams": {teamRef("t1")}}
	lee := person("e1", "a@example.com", "A", "One", true)
	lee.Refs = map[string][]syncengine.Ref{"teams": {teamRef("t1")}, "manager": {personRef("e2")}}
	v.hr.Put(syncengine.Users, boss)
	v.hr.Put(syncengine.Users, lee)
	if rep := v.sync(t); rep.Failed() {
		t.Fatalf("sync failed: %+v", rep.Outcomes)
	}
	lms := emails(t, v.lms)
	want := map[string]map[string][]syncengine.Ref{
		"a@example.com": {"manager": {personRef(lms["b@example.com"].ID)}},
		"b@example.com": nil,
	}
	for email, w := range want {
		if diff := cmp.Diff(w, lms[email].Refs, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s refs (-want +got):\n%s", email, diff)
		}
	}
	if p := v.plan(t); p.Summary().String() != "Plan: 0 to create, 0 to update, 0 to deactivate, 0 to reactivate; 0 failing, 0 skipped, 3 unchanged." {
		t.Errorf("second plan: %s\n%s", p.Summary(), p)
	}
}

// A leaver whose account is deactivated keeps its references as they
// are: Learn Amp takes deactivated users out of their teams, and writing
// the team back (or reporting it as a change) on every run is churn.
func TestInactiveTargetKeepsItsReferences(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections = []syncengine.CollectionRules{
		{Collection: syncengine.Teams, AToB: rules(nil, allowAll, syncengine.MatchKey{Field: "name"})},
		{Collection: syncengine.Users, AToB: rules(hrToLMS, allowAll, byEmail...)},
	}
	v.hr.Put(syncengine.Teams, syncengine.Record{ID: "t1", Active: true, Fields: map[string]any{"name": "Sales"}})
	lee := person("e1", "a@example.com", "A", "One", true)
	lee.Refs = map[string][]syncengine.Ref{"teams": {teamRef("t1")}}
	v.hr.Put(syncengine.Users, lee)
	v.sync(t)
	lee.Active = false
	v.hr.Put(syncengine.Users, lee)
	if rep := v.sync(t); rep.Counts[syncengine.ResultDeactivated] != 1 {
		t.Fatalf("leaver not deactivated: %s", rep.Summary())
	}
	// The LMS drops the leaver from the team.
	acct := emails(t, v.lms)["a@example.com"]
	acct.Refs = nil
	v.lms.Put(syncengine.Users, acct)
	v.lms.ResetCalls()
	p := v.plan(t)
	if p.Summary().String() != "Plan: 0 to create, 0 to update, 0 to deactivate, 0 to reactivate; 0 failing, 0 skipped, 2 unchanged." {
		t.Errorf("plan after the leaver left the team: %s\n%s", p.Summary(), p)
	}
	// Back in HR: reactivated with the team.
	lee.Active = true
	v.hr.Put(syncengine.Users, lee)
	v.sync(t)
	acct, _ = v.lms.Record(syncengine.Users, acct.ID)
	team := v.lms.Records(syncengine.Teams)[0]
	if !acct.Active || !cmp.Equal(acct.Refs["teams"], []syncengine.Ref{teamRef(team.ID)}) {
		t.Errorf("rejoiner: active %v, refs %v; want active in %s", acct.Active, acct.Refs, team.ID)
	}
}

// A manager whose account was deleted in the target is created again, and
// the same run points the reports at the new account: the plan shows the
// reference waiting for the create, and nothing is left for a next run.
func TestRecreatedManagerIsReferenced(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v, _, _ := deletedManager(t, cheap, false)
		if p := v.plan(t); p.Summary().Create != 1 || p.Summary().Update != 1 || !strings.Contains(p.String(), "lms.manager") {
			t.Errorf("cheap %v: plan after the manager's account was deleted:\n%s", cheap, p)
		}
		if rep := v.sync(t); rep.Failed() {
			t.Fatalf("cheap %v: %s", cheap, rep.Summary())
		}
		mgr := v.links(t)["e2"]
		if got := emails(t, v.lms)["1@example.com"].Refs["manager"]; len(got) != 1 || got[0].ID != mgr {
			t.Errorf("cheap %v: e1's manager is %v, want the new account %s", cheap, got, mgr)
		}
		if p := v.plan(t); p.HasChanges() {
			t.Errorf("cheap %v: a next run would still change:\n%s", cheap, p)
		}
	}
}
