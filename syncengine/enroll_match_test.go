package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// An enrollment that already exists in the target (made by hand, or by a
// run whose link was lost) is matched by its user and course through the
// link table and adopted, not created a second time.
func TestEnrollmentsMatchedByUserAndCourse(t *testing.T) {
	v := newEnv(nil, nil)
	byCode := []syncengine.MatchKey{{Field: "code"}}
	v.cfg.Collections = []syncengine.CollectionRules{
		v.cfg.Collections[0],
		{Collection: syncengine.Courses, AToB: rules(nil, syncengine.Rules{}, byCode...)},
		{Collection: syncengine.Enrollments, AToB: rules(nil, allowAll, syncengine.MatchKey{Refs: []string{"user", "course"}})},
	}
	course := func(id string) syncengine.Record {
		return syncengine.Record{ID: id, Active: true, Fields: map[string]any{"code": "SAFE-101"}}
	}
	enrollment := func(id, user, crs string) syncengine.Record {
		return syncengine.Record{ID: id, Active: true, Fields: map[string]any{"status": "enrolled"},
			Refs: map[string][]syncengine.Ref{"user": {personRef(user)}, "course": {{Collection: syncengine.Courses, ID: crs}}}}
	}
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Courses, course("c1"))
	v.hr.Put(syncengine.Enrollments, enrollment("en1", "e1", "c1"))
	v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "A", "One", true))
	v.lms.Put(syncengine.Courses, course("k9"))
	v.lms.Put(syncengine.Enrollments, enrollment("x7", "l1", "k9")) // already there, unlinked

	p := v.plan(t)
	var got []summary
	for _, s := range summarize(p) {
		if s.AID == "en1" {
			got = append(got, s)
		}
	}
	if len(got) != 1 || got[0].Action != syncengine.ActionSkip || got[0].BID != "x7" {
		t.Fatalf("enrollment plan = %+v, want en1 matched to the existing x7\n%s", got, p)
	}
	v.sync(t)
	if n := len(v.lms.Records(syncengine.Enrollments)); n != 1 {
		t.Errorf("lms has %d enrollments, want the one that was there", n)
	}
	if got := v.links(t); got["e1"] != "l1" {
		t.Errorf("user links = %v", got)
	}
	v.lms.ResetCalls()
	v.sync(t)
	if n := v.lms.Writes(); n != 0 {
		t.Errorf("second run made %d writes", n)
	}
}

// A target that creates enrollments but cannot rewrite references later
// (no CanWriteRefs: an enrollment's user and course are what it is)
// still gets each new enrollment's user and course with the create.
func TestEnrollmentCreatesCarryRefsWithoutWriteRefs(t *testing.T) {
	caps := syncenginetest.AllCapabilities &^ syncengine.CanWriteRefs
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Enrollments, caps),
		syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.AllCapabilities),
		syncenginetest.WithCapabilities(syncengine.Courses, syncenginetest.AllCapabilities)})
	v.cfg.Collections = []syncengine.CollectionRules{
		v.cfg.Collections[0],
		{Collection: syncengine.Courses, AToB: rules(nil, syncengine.Rules{}, syncengine.MatchKey{Field: "code"})},
		{Collection: syncengine.Enrollments, AToB: rules(nil, allowAll, syncengine.MatchKey{Refs: []string{"user", "course"}})},
	}
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Courses, syncengine.Record{ID: "c1", Active: true, Fields: map[string]any{"code": "SAFE-101"}})
	v.lms.Put(syncengine.Courses, syncengine.Record{ID: "k9", Active: true, Fields: map[string]any{"code": "SAFE-101"}})
	v.hr.Put(syncengine.Enrollments, syncengine.Record{ID: "en1", Active: true, Fields: map[string]any{"status": "enrolled"},
		Refs: map[string][]syncengine.Ref{"user": {personRef("e1")}, "course": {{Collection: syncengine.Courses, ID: "c1"}}}})
	if rep := v.sync(t); rep.Failed() {
		t.Fatalf("sync failed: %+v", rep.Outcomes)
	}
	ens := v.lms.Records(syncengine.Enrollments)
	lee := emails(t, v.lms)["a@example.com"]
	if len(ens) != 1 || len(ens[0].Refs["user"]) != 1 || ens[0].Refs["user"][0].ID != lee.ID || ens[0].Refs["course"][0].ID != "k9" {
		t.Errorf("enrollments = %+v", ens)
	}
	v.lms.ResetCalls()
	if v.sync(t); v.lms.Writes() != 0 {
		t.Errorf("second run wrote: %+v", v.lms.Calls())
	}
}
