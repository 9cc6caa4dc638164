package syncengine_test

import (
	"context"
	"errors"
	"path/filepath"
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
		{"instance with a path", func(c *syncengine.Config) { c.Instance = "../acme" }},
		{"no collections", func(c *syncengine.Config) { c.Collections = nil }},
		{"bad direction", func(c *syncengine.Config) { c.Direction = "sideways" }},
		{"bad conflict policy", func(c *syncengine.Config) { c.Conflict = "coin-flip" }},
		{"bad out-of-scope policy", func(c *syncengine.Config) { c.OutOfScope = "delete" }},
		{"bad threshold", func(c *syncengine.Config) { c.Threshold.MaxPercent = 120 }},
		{"repeated collection", func(c *syncengine.Config) { c.Collections = append(c.Collections, c.Collections[0]) }},
		{"empty match key", func(c *syncengine.Config) { c.Collections[0].AToB.Match = []syncengine.MatchKey{{}} }},
		{"match key filtered out", func(c *syncengine.Config) { c.Collections[0].AToB.Fields = []string{"first_name"} }},
		{"collection not served", func(c *syncengine.Config) { c.Collections[0].Collection = "badges" }},
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

// With no Store the engine keeps its state in a file store of its own,
// in StateDir, and Close releases it.
func TestDefaultFileStore(t *testing.T) {
	v := newEnv(nil, nil)
	dir := filepath.Join(t.TempDir(), "state")
	v.cfg.Store, v.cfg.StateDir = nil, dir
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	eng, err := syncengine.New(v.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if eng.StateDir() != dir {
		t.Errorf("StateDir = %q, want %q", eng.StateDir(), dir)
	}
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}
	fs, err := syncengine.OpenFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	if ls, err := fs.Links(context.Background(), eng.Pair(), syncengine.Users); err != nil || len(ls) != 1 {
		t.Errorf("links in %s = %v, %v; want the one the sync made", dir, ls, err)
	}
	if got, want := syncengine.DefaultStateDir("/home/ana/.config", "bamboohr", "acme", "litmos"),
		filepath.Join("/home/ana/.config", "rostersync", "bamboohr-acme-litmos"); got != want {
		t.Errorf("DefaultStateDir = %q, want %q", got, want)
	}
}

// Runs of one engine wait for each other instead of failing on the
// store's lock: simultaneous webhook deliveries in one process queue up.
func TestRunsOfOneEngineTakeTurns(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	eng := v.engine(t)
	errs := make(chan error, 8)
	for range 8 {
		go func() { _, err := eng.Sync(context.Background()); errs <- err }()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Sync: %v", err)
		}
	}
	if n := len(v.lms.Records(syncengine.Users)); n != 1 {
		t.Errorf("lms has %d users, want 1", n)
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
