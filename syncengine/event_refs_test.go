package syncengine_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/syncengine"
)

// A webhook-driven run writes what a full run would for the record it
// names: its team membership (through the teams' links, though the event
// names no team), a team that does not exist yet, and a new manager.
func TestEventRunWritesReferences(t *testing.T) {
	v := newEnv(nil, nil)
	byName := []syncengine.MatchKey{{Field: "name"}}
	v.cfg.Collections = []syncengine.CollectionRules{
		{Collection: syncengine.Teams, AToB: rules(nil, allowAll, byName...)},
		v.cfg.Collections[0],
	}
	team := func(id, name string) syncengine.Record {
		return syncengine.Record{ID: id, Active: true, Fields: map[string]any{"name": name}}
	}
	member := func(p syncengine.Record, teams []string, manager string) syncengine.Record {
		p.Refs = map[string][]syncengine.Ref{}
		for _, t := range teams {
			p.Refs["teams"] = append(p.Refs["teams"], syncengine.Ref{Collection: syncengine.Teams, ID: t})
		}
		if manager != "" {
			p.Refs["manager"] = []syncengine.Ref{personRef(manager)}
		}
		return p
	}
	v.hr.Put(syncengine.Teams, team("t1", "Engineering"))
	v.hr.Put(syncengine.Users, member(person("e1", "a@example.com", "A", "One", true), []string{"t1"}, ""))
	v.sync(t) // Engineering and A are linked

	// A new hire in a new team, with a new manager, arrives by webhook.
	v.hr.Put(syncengine.Teams, team("t2", "Research"))
	v.hr.Put(syncengine.Users, member(person("e3", "c@example.com", "C", "Boss", true), []string{"t1"}, ""))
	v.hr.Put(syncengine.Users, member(person("e2", "b@example.com", "B", "Two", true), []string{"t1", "t2"}, "e3"))
	rep, err := v.engine(t).SyncIDs(context.Background(), syncengine.SideA, syncengine.Users, []string{"e2"})
	if err != nil {
		t.Fatal(err)
	}
	lmsTeams := map[string]string{}
	for _, r := range v.lms.Records(syncengine.Teams) {
		lmsTeams[r.Fields["name"].(string)] = r.ID
	}
	users := emails(t, v.lms)
	b, c := users["b@example.com"], users["c@example.com"]
	if b.ID == "" || c.ID == "" || lmsTeams["Research"] == "" {
		t.Fatalf("the event did not create the hire, their manager and their team: users %v, teams %v\n%+v", users, lmsTeams, rep.Outcomes)
	}
	want := map[string][]syncengine.Ref{
		"teams":   {{Collection: syncengine.Teams, ID: lmsTeams["Engineering"]}, {Collection: syncengine.Teams, ID: lmsTeams["Research"]}},
		"manager": {personRef(c.ID)},
	}
	if diff := cmp.Diff(want, b.Refs, sortedRefs); diff != "" {
		t.Errorf("new hire's references (-want +got):\n%s", diff)
	}
	v.lms.ResetCalls()
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("a full plan after the event run has changes:\n%s", p)
	}
}

// sortedRefs compares ref lists as sets.
var sortedRefs = cmpopts.SortSlices(func(a, b syncengine.Ref) bool {
	return a.Collection < b.Collection || a.Collection == b.Collection && a.ID < b.ID
})

// An event naming a record that its system does not have (and the pair
// never linked) is reported as such, not as an empty run.
func TestEventForUnknownRecordSaysSo(t *testing.T) {
	v := newEnv(nil, nil)
	rep, err := v.engine(t).SyncIDs(context.Background(), syncengine.SideA, syncengine.Users, []string{"e404"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Outcomes) != 1 || rep.Outcomes[0].Result != syncengine.ResultSkipped || rep.Outcomes[0].Detail != "not found in source" {
		t.Errorf("outcomes = %+v, want e404 skipped as not found", rep.Outcomes)
	}
}
