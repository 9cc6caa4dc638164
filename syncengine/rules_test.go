package syncengine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

// The building blocks allow exactly the writes their docs name.
func TestRuleBuilders(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want syncengine.Rules
	}{
		{"Upsert", syncengine.Upsert(nil, syncengine.MatchOn("id")),
			syncengine.Rules{Match: []syncengine.MatchKey{{Field: "id"}}, Create: true, Update: true}},
		{"Mirror", syncengine.Mirror(nil, syncengine.MatchOn("id"), syncengine.MatchFold("email")),
			syncengine.Rules{Match: []syncengine.MatchKey{{Field: "id"}, {Field: "email", Fold: true}},
				Create: true, Update: true, Deactivate: true, Reactivate: true}},
		{"Enroll", syncengine.Enroll("role"),
			syncengine.Rules{Match: []syncengine.MatchKey{{Refs: []string{"user", "course"}}}, Create: true, Refs: true,
				Fields: []string{"role"}}},
		{"Enroll every field", syncengine.Enroll(),
			syncengine.Rules{Match: []syncengine.MatchKey{{Refs: []string{"user", "course"}}}, Create: true, Refs: true}},
	} {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// Mirror follows the source's active flag; Upsert never deactivates.
func TestMirrorDeactivatesUpsertDoesNot(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules syncengine.Rules
		want  syncengine.Action
	}{
		{"Mirror", syncengine.Mirror(hrToLMS, syncengine.MatchFold("email")), syncengine.ActionDeactivate},
		{"Upsert", syncengine.Upsert(hrToLMS, syncengine.MatchFold("email")), syncengine.ActionSkip},
	} {
		v := newEnv(nil, nil)
		v.cfg.Collections[0].AToB = tc.rules
		v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", false))
		v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "A", "One", true))
		got := summarize(v.plan(t))
		if len(got) != 1 || got[0].Action != tc.want || got[0].BID != "l1" {
			t.Errorf("%s: plan = %+v, want one %s of l1", tc.name, got, tc.want)
		}
	}
}

// Enroll matches by user and course: a second run over an enrollment it
// made writes nothing.
func TestEnrollCreatesOnce(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections = append(v.cfg.Collections,
		syncengine.CollectionRules{Collection: syncengine.Courses, AToB: syncengine.Upsert(nil, syncengine.MatchFold("code"))},
		syncengine.CollectionRules{Collection: syncengine.Enrollments, AToB: syncengine.Enroll("status")})
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Courses, syncengine.Record{ID: "c1", Active: true, Fields: map[string]any{"code": "SAFE-101"}})
	v.hr.Put(syncengine.Enrollments, syncengine.Record{ID: "en1", Active: true, Fields: map[string]any{"status": "enrolled", "note": "x"},
		Refs: map[string][]syncengine.Ref{"user": {personRef("e1")}, "course": {{Collection: syncengine.Courses, ID: "c1"}}}})
	if rep := v.sync(t); rep.Failed() {
		t.Fatalf("sync failed: %+v", rep.Outcomes)
	}
	ens := v.lms.Records(syncengine.Enrollments)
	if len(ens) != 1 || ens[0].Fields["status"] != "enrolled" || ens[0].Fields["note"] != nil {
		t.Fatalf("lms enrollments = %+v, want one with only its status", ens)
	}
	v.lms.ResetCalls()
	v.sync(t)
	if n := v.lms.Writes(); n != 0 {
		t.Errorf("second run made %d writes, want 0", n)
	}
}
