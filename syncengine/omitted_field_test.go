package syncengine_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// skipMissingMap maps email, first name and title, leaving out a target
// whose source field is absent (mapping's skip_missing).
func skipMissingMap(t *testing.T) *mapping.Map {
	t.Helper()
	m, err := mapping.Compile(mapping.Spec{Name: "hr-lms", Options: mapping.Options{SkipMissing: true}, Rules: []mapping.Rule{
		{Target: "email", Source: "email", Required: true},
		{Target: "first_name", Source: "firstName"},
		{Target: "job_title", Source: "title"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The engine diffs only the targets the map wrote: a target the map left
// out (mapping's skip_missing, for a source field that vanished from the
// record) is neither compared nor written, on a full plan and an
// id-driven sync alike, while a source emptied in the record clears the
// target.
func TestOmittedTargetIsNotWritten(t *testing.T) {
	m := skipMissingMap(t)
	v := newEnv(nil, nil)
	v.cfg.Collections[0].AToB = rules(m, allowAll, byEmail...)
	rec := person("a1", "ada@example.com", "Ada", "Lovelace", true)
	rec.Fields["title"] = "Engineer"
	v.hr.Put(syncengine.Users, rec)
	v.sync(t)
	bID := v.links(t)["a1"]
	if got, _ := v.lms.Record(syncengine.Users, bID); got.Fields["job_title"] != "Engineer" {
		t.Fatalf("first sync: learner = %+v", got)
	}

	delete(rec.Fields, "title") // the source no longer shows the field
	v.hr.Put(syncengine.Users, rec)
	want := []summary{{AID: "a1", BID: bID, Action: syncengine.ActionSkip, Reason: syncengine.ReasonUnchanged}}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Errorf("plan with title absent (-want +got):\n%s", diff)
	}
	v.lms.ResetCalls()
	v.sync(t)
	if _, err := v.engine(t).SyncIDs(context.Background(), syncengine.SideA, syncengine.Users, []string{"a1"}); err != nil {
		t.Fatal(err)
	}
	if n := v.lms.Writes(); n != 0 {
		t.Errorf("%d writes with title absent, want 0", n)
	}
	if got, _ := v.lms.Record(syncengine.Users, bID); got.Fields["job_title"] != "Engineer" {
		t.Errorf("absent title changed the learner: %+v", got)
	}

	rec.Fields["title"] = nil // emptied in the source
	v.hr.Put(syncengine.Users, rec)
	want[0].Action, want[0].Reason, want[0].Fields = syncengine.ActionUpdate, "", []string{"b.job_title="}
	if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
		t.Errorf("plan with title emptied (-want +got):\n%s", diff)
	}
	v.sync(t)
	if got, _ := v.lms.Record(syncengine.Users, bID); got.Fields["job_title"] != nil {
		t.Errorf("emptied title not cleared: %+v", got)
	}
}

// In two-way sync a target the map leaves out (skip_missing) keeps its
// last synced value, so the source's later change flows instead of
// showing as a conflict.
func TestTwoWayOmittedTargetKeepsSyncedValue(t *testing.T) {
	m := skipMissingMap(t)
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Collections[0].AToB = rules(m, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	rec := person("a1", "ada@example.com", "Ada", "Lovelace", true)
	rec.Fields["title"] = "Engineer"
	v.hr.Put(syncengine.Users, rec)
	v.sync(t)
	bID := v.links(t)["a1"]

	delete(rec.Fields, "title") // the source no longer shows the field
	v.hr.Put(syncengine.Users, rec)
	v.sync(t)
	if got := v.storedLinks(t)[0].Synced["b.job_title"]; got != "Engineer" {
		t.Errorf("synced b.job_title = %q after the source omitted it, want %q", got, "Engineer")
	}

	rec.Fields["title"] = "Principal" // back, changed on A only
	v.hr.Put(syncengine.Users, rec)
	p := v.plan(t)
	want := []summary{{AID: "a1", BID: bID, Action: syncengine.ActionUpdate, Fields: []string{"b.job_title=Principal"}}}
	if diff := cmp.Diff(want, summarize(p)); diff != "" || len(p.Changes[0].Conflicts) > 0 {
		t.Errorf("plan (-want +got):\n%s\n%s", diff, p)
	}
}
