package syncengine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *syncengine.Config)
	}{
		{"no connector", func(c *syncengine.Config) { c.B = nil }},
		{"no store", func(c *syncengine.Config) { c.Store = nil }},
		{"no collections", func(c *syncengine.Config) { c.Collections = nil }},
		{"bad direction", func(c *syncengine.Config) { c.Direction = "sideways" }},
		{"bad conflict policy", func(c *syncengine.Config) { c.Conflict = "coin-flip" }},
		{"bad out-of-scope policy", func(c *syncengine.Config) { c.OutOfScope = "delete" }},
		{"bad threshold", func(c *syncengine.Config) { c.Threshold.MaxPercent = 120 }},
		{"repeated collection", func(c *syncengine.Config) { c.Collections = append(c.Collections, c.Collections[0]) }},
		{"empty match key", func(c *syncengine.Config) { c.Collections[0].AToB.Match = []syncengine.MatchKey{{}} }},
		{"match key filtered out", func(c *syncengine.Config) { c.Collections[0].AToB.Fields = []string{"first_name"} }},
		{"collection not served", func(c *syncengine.Config) { c.Collections[0].Collection = "courses" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			tt.edit(&v.cfg)
			if _, err := syncengine.New(v.cfg); !errors.Is(err, syncengine.ErrConfig) {
				t.Errorf("New: err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestEnrollmentsAfterUsers(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections = append(v.cfg.Collections, syncengine.CollectionRules{
		Collection: syncengine.Enrollments, AToB: rules(nil, allowAll),
	})
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Enrollments, syncengine.Record{ID: "en1", Active: true,
		Fields: map[string]any{"course": "Safety 101", "status": "enrolled"},
		Refs:   map[string][]syncengine.Ref{"user": {personRef("e1")}}})
	rep := v.sync(t)
	if rep.Failed() {
		t.Fatalf("sync failed: %+v", rep.Outcomes)
	}
	got := v.lms.Records(syncengine.Enrollments)
	user := emails(t, v.lms)["a@example.com"].ID
	if len(got) != 1 || got[0].Fields["course"] != "Safety 101" {
		t.Fatalf("enrollments = %+v", got)
	}
	if diff := cmp.Diff(map[string][]syncengine.Ref{"user": {personRef(user)}}, got[0].Refs); diff != "" {
		t.Errorf("enrollment refs (-want +got):\n%s", diff)
	}
	v.lms.ResetCalls()
	v.sync(t)
	if v.lms.Writes() != 0 {
		t.Errorf("second run wrote %d times", v.lms.Writes())
	}
	runs, _ := v.store.Runs(context.Background(), "hr<->lms")
	if len(runs) != 2 {
		t.Errorf("runs = %d, want 2", len(runs))
	}
}
