package syncengine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// outcomesEnv seeds one record per plan outcome.
func outcomesEnv(t *testing.T) *env {
	hidden := syncenginetest.WithScope(func(_ syncengine.Collection, r syncengine.Record) bool {
		return r.Fields["noLMS"] != true
	})
	v := newEnv([]syncenginetest.Option{hidden}, nil)
	hr, lms := v.hr, v.lms
	hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "Silva", true))
	hr.Put(syncengine.Users, person("e2", "bob@example.com", "Bob", "Stone", true))
	lms.Put(syncengine.Users, learner("l2", "bob@example.com", "Bobby", "Stone", true))
	hr.Put(syncengine.Users, person("e3", "cy@example.com", "Cy", "Twombly", false))
	lms.Put(syncengine.Users, learner("l3", "cy@example.com", "Cy", "Twombly", true))
	hr.Put(syncengine.Users, person("e4", "di@example.com", "Di", "Prince", true))
	lms.Put(syncengine.Users, learner("l4", "di@example.com", "Di", "Prince", false))
	hr.Put(syncengine.Users, person("e5", "ed@example.com", "Ed", "Wood", true))
	lms.Put(syncengine.Users, learner("l5", "ed@example.com", "Ed", "Wood", true))
	hr.Put(syncengine.Users, person("e6", "", "Fay", "Wray", true))
	hr.Put(syncengine.Users, person("e7", "gil@example.com", "Gil", "Scott", false))
	hr.Put(syncengine.Users, person("e8", "dup@example.com", "Hal", "One", true))
	hr.Put(syncengine.Users, person("e9", "DUP@example.com ", "Hal", "Two", true))
	lms.Put(syncengine.Users, learner("l9", "dup@example.com", "Hal", "One", true))
	hr.Put(syncengine.Users, person("e10", "twin@example.com", "Ivy", "Twin", true))
	lms.Put(syncengine.Users, learner("l10a", "twin@example.com", "Ivy", "Twin", true))
	lms.Put(syncengine.Users, learner("l10b", "Twin@example.com", "Ivy", "Twin", true))
	gone := person("e11", "jo@example.com", "Jo", "Gone", true)
	gone.Fields["noLMS"] = true
	hr.Put(syncengine.Users, gone)
	lms.Put(syncengine.Users, learner("l11", "jo@example.com", "Jo", "Gone", true))
	hr.Put(syncengine.Users, person("e12", "kim@example.com", "Kim", "Err", true))
	lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpGet, ID: "l12"})
	for _, l := range [][2]string{{"e2", "l2"}, {"e3", "l3"}, {"e4", "l4"}, {"e5", "l5"}, {"e11", "l11"}, {"e12", "l12"}} {
		v.link(t, l[0], l[1])
	}
	return v
}

func TestPlanOutcomes(t *testing.T) {
	v := outcomesEnv(t)
	p := v.plan(t)
	want := []summary{
		{AID: "e1", Action: syncengine.ActionCreate, Fields: []string{
			"b.email=ana@example.com", "b.first_name=Ana", "b.last_name=Silva"}},
		{AID: "e10", Action: syncengine.ActionConflict},
		{AID: "e11", BID: "l11", Action: syncengine.ActionSkip, Reason: syncengine.ReasonOutOfScope},
		{AID: "e12", BID: "l12", Action: syncengine.ActionError},
		{AID: "e2", BID: "l2", Action: syncengine.ActionUpdate, Fields: []string{"b.first_name=Bob"}},
		{AID: "e3", BID: "l3", Action: syncengine.ActionDeactivate, Reason: syncengine.ReasonInactive, Fields: []string{"b.@active=false"}},
		{AID: "e4", BID: "l4", Action: syncengine.ActionReactivate, Fields: []string{"b.@active=true"}},
		{AID: "e5", BID: "l5", Action: syncengine.ActionSkip, Reason: syncengine.ReasonUnchanged},
		{AID: "e6", Action: syncengine.ActionSkip, Reason: syncengine.ReasonMissingField},
		{AID: "e7", Action: syncengine.ActionSkip, Reason: syncengine.ReasonInactive},
		{AID: "e8", BID: "l9", Action: syncengine.ActionConflict},
		{AID: "e9", BID: "l9", Action: syncengine.ActionConflict},
	}
	if diff := cmp.Diff(want, summarize(p)); diff != "" {
		t.Fatalf("plan (-want +got):\n%s\n%s", diff, p)
	}
	errs := map[string]string{}
	for _, c := range p.Changes {
		errs[c.AID] = c.Error
	}
	wantErrs := map[string]string{
		"e10": `2 target records have email "twin@example.com"`,
		"e12": "injected fault",
		"e6":  "email: required",
		"e8":  "2 source records match the same target",
		"e9":  "2 source records match the same target",
	}
	for id, frag := range wantErrs {
		if !strings.Contains(errs[id], frag) {
			t.Errorf("change %s error = %q, want it to contain %q", id, errs[id], frag)
		}
	}
	if got, want := p.Summary(), (syncengine.Summary{Create: 1, Update: 1, Deactivate: 1, Reactivate: 1,
		Failing: 5, Skip: 2, Unchanged: 1, Conflict: 3}); got != want {
		t.Errorf("Summary = %+v, want %+v", got, want)
	}
	if v.lms.Writes() != 0 || v.hr.Writes() != 0 {
		t.Errorf("Plan wrote: hr %d, lms %d", v.hr.Writes(), v.lms.Writes())
	}
}

func TestPlanStringGolden(t *testing.T) {
	p := outcomesEnv(t).plan(t)
	got := p.String()
	golden := filepath.Join("testdata", "plan_outcomes.txt")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Plan.String() (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(got, "Plan: 1 to create, 1 to update, 1 to deactivate, 1 to reactivate; 5 failing, 2 skipped, 1 unchanged.\n") {
		t.Errorf("summary line missing:\n%s", got)
	}
}

func TestPlanJSONRoundTrip(t *testing.T) {
	p := outcomesEnv(t).plan(t)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back syncengine.Plan
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, &back); diff != "" {
		t.Errorf("plan changed through JSON (-before +after):\n%s", diff)
	}
}

func TestBlockedByRuleAndCapability(t *testing.T) {
	tests := []struct {
		name  string
		setup func(v *env)
		want  []summary
	}{{
		name: "create not allowed",
		setup: func(v *env) {
			v.cfg.Collections[0].AToB.Create = false
		},
		want: []summary{{AID: "e1", Action: syncengine.ActionSkip, Reason: syncengine.ReasonBlocked},
			{AID: "e2", BID: "l2", Action: syncengine.ActionUpdate, Fields: []string{"b.first_name=Bob"}}},
	}, {
		name: "connector cannot update",
		setup: func(v *env) {
			v.lms.SetCapabilities(syncengine.Users, syncenginetest.AllCapabilities&^syncengine.CanUpdate)
		},
		want: []summary{{AID: "e1", Action: syncengine.ActionCreate, Fields: []string{"b.email=ana@example.com", "b.first_name=Ana", "b.last_name=Silva"}},
			{AID: "e2", BID: "l2", Action: syncengine.ActionSkip, Reason: syncengine.ReasonBlocked}},
	}, {
		name: "field not in the allowed list",
		setup: func(v *env) {
			v.cfg.Collections[0].AToB.Fields = []string{"email", "last_name"}
		},
		want: []summary{{AID: "e1", Action: syncengine.ActionCreate, Fields: []string{"b.email=ana@example.com", "b.last_name=Silva"}},
			{AID: "e2", BID: "l2", Action: syncengine.ActionSkip, Reason: syncengine.ReasonUnchanged}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			v.hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "Silva", true))
			v.hr.Put(syncengine.Users, person("e2", "bob@example.com", "Bob", "Stone", true))
			v.lms.Put(syncengine.Users, learner("l2", "bob@example.com", "Bobby", "Stone", true))
			tt.setup(v)
			p := v.plan(t)
			if diff := cmp.Diff(tt.want, summarize(p)); diff != "" {
				t.Errorf("plan (-want +got):\n%s\n%s", diff, p)
			}
			rep := v.sync(t)
			if rep.Failed() {
				t.Errorf("a blocked write was attempted:\n%+v", rep.Outcomes)
			}
		})
	}
}

func TestMatchPrecedence(t *testing.T) {
	// External id first, then email: e1's email points at l-email, but its
	// external id points at l-ext, which wins. e2 has no external id and
	// matches by email. e3 is linked to l3 although its email matches l3b.
	v := newEnv(nil, nil)
	m := hrToLMS
	m.rename = map[string]string{"email": "email", "firstName": "first_name", "lastName": "last_name", "id": "external_id"}
	v.cfg.Collections[0].AToB = rules(m, allowAll, syncengine.MatchKey{Field: "external_id"}, byEmail[0])
	e1 := person("e1", "ana@example.com", "Ana", "Silva", true)
	e1.Fields["id"] = "E-1"
	v.hr.Put(syncengine.Users, e1)
	v.hr.Put(syncengine.Users, person("e2", "Bob@Example.com ", "Bob", "Stone", true))
	v.hr.Put(syncengine.Users, person("e3", "cy@example.com", "Cy", "T", true))
	ext := learner("l-ext", "old@example.com", "Ana", "Silva", true)
	ext.Fields["external_id"] = "E-1"
	v.lms.Put(syncengine.Users, ext)
	v.lms.Put(syncengine.Users, learner("l-email", "ana@example.com", "Ana", "Silva", true))
	v.lms.Put(syncengine.Users, learner("l2", "bob@example.com", "Bob", "Stone", true))
	v.lms.Put(syncengine.Users, learner("l3", "cy-old@example.com", "Cy", "T", true))
	v.lms.Put(syncengine.Users, learner("l3b", "cy@example.com", "Cy", "T", true))
	v.link(t, "e3", "l3")
	want := []summary{
		{AID: "e1", BID: "l-ext", Action: syncengine.ActionUpdate, Fields: []string{"b.email=ana@example.com"}},
		{AID: "e2", BID: "l2", Action: syncengine.ActionUpdate, Fields: []string{"b.email=Bob@Example.com "}},
		{AID: "e3", BID: "l3", Action: syncengine.ActionUpdate, Fields: []string{"b.email=cy@example.com"}},
	}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	v.sync(t)
	if diff := cmp.Diff(map[string]string{"e1": "l-ext", "e2": "l2", "e3": "l3"}, v.links(t)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

func TestMatchedUnchangedPairIsLinked(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "A", "One", true))
	v.cfg.Collections[0].AToB.Fields = []string{"email", "first_name"}
	p := v.plan(t)
	if c := p.Changes[0]; c.Action != syncengine.ActionSkip || c.Reason != syncengine.ReasonUnchanged || !c.Link {
		t.Fatalf("change = %+v", c)
	}
	v.sync(t)
	if v.links(t)["e1"] != "l1" || v.lms.Writes() != 0 {
		t.Errorf("links %v, writes %d", v.links(t), v.lms.Writes())
	}
	if v.plan(t).HasChanges() {
		t.Error("linked pair still planned")
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, ""}, {"", ""}, {"x", "x"}, {true, "true"}, {false, "false"},
		{3, "3"}, {int64(-4), "-4"}, {2.0, "2"}, {3.50, "3.5"}, {float32(0.25), "0.25"},
		{json.Number("10.500"), "10.5"},
		{clock, "2026-11-30T09:00:00Z"},
		{clock.Truncate(24 * 3600e9), "2026-11-30"},
		{[]any{"a", 1}, "[a, 1]"},
		{map[string]any{"b": 1, "a": "x"}, "{a: x, b: 1}"},
		{userRef("e1"), "users/e1"},
	}
	for _, tt := range tests {
		if got := syncengine.Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlanIsReadOnly(t *testing.T) {
	v := outcomesEnv(t)
	before := v.links(t)
	if _, err := v.engine(t).Plan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, v.links(t)); diff != "" {
		t.Errorf("Plan changed links:\n%s", diff)
	}
}

func TestPlanUnknown(t *testing.T) {
	p := &syncengine.Plan{Changes: []syncengine.Change{
		{Action: syncengine.ActionCreate, Source: syncengine.SideA, AID: "a1"},
		{Action: syncengine.ActionUpdate, Source: syncengine.SideB, AID: "a2", BID: "b2"},
		{Action: syncengine.ActionUpdate, AID: "a3", BID: "b3"},
	}}
	got := p.Unknown("a1", "x", "a2", "b2", "b3", "x", "a3")
	if diff := cmp.Diff([]string{"x", "a2"}, got); diff != "" {
		t.Errorf("Unknown (-want +got):\n%s", diff)
	}
	if got := p.Unknown("a1"); got != nil {
		t.Errorf("Unknown(a1) = %v, want none", got)
	}
}

// Select refuses ids that choose no change, naming them, instead of
// applying less than the reviewer asked for.
func TestPlanSelect(t *testing.T) {
	p := outcomesEnv(t).plan(t)
	if _, err := p.Select("e1", "e404", "e1", "x9"); err == nil || !strings.Contains(err.Error(), "e404, x9") {
		t.Errorf("Select with unknown ids: err = %v, want one naming e404, x9", err)
	}
	sub, err := p.Select("e1", "e2")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range sub.Changes {
		ids = append(ids, c.AID)
	}
	if diff := cmp.Diff([]string{"e1", "e2"}, ids); diff != "" {
		t.Errorf("selected changes (-want +got):\n%s", diff)
	}
	if all, err := p.Select(); err != nil || all != p {
		t.Errorf("Select() = %p, %v; want the plan itself", all, err)
	}
}

// Rules.KeyField picks the key plans and reports show, when the first
// match key is an id the other columns already carry.
func TestKeyField(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections[0].AToB.Match = append([]syncengine.MatchKey{{Field: "job_title"}}, byEmail...)
	v.cfg.Collections[0].AToB.KeyField = "email"
	p := person("e1", "A@example.com", "A", "One", true)
	p.Fields["title"] = "Engineer"
	v.hr.Put(syncengine.Users, p)
	v.lms.Put(syncengine.Users, learner("l2", "b@example.com", "B", "Two", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "Bee", "Two", true))
	var keys []string
	for _, ch := range v.plan(t).Changes {
		keys = append(keys, ch.AID+"="+ch.Key)
	}
	if diff := cmp.Diff([]string{"e1=A@example.com", "e2=b@example.com"}, keys, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}
