package syncengine_test

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestSyncIDs(t *testing.T) {
	for _, find := range []bool{true, false} {
		name := "finder"
		if !find {
			name = "list scan"
		}
		t.Run(name, func(t *testing.T) {
			v := newEnv(nil, nil)
			if !find {
				v.lms.SetCapabilities(syncengine.Users, syncenginetest.AllCapabilities&^syncengine.CanFind)
			}
			v.cfg.OutOfScope = syncengine.DeactivateOutOfScope
			v.cfg.Threshold = syncengine.Threshold{MaxCount: 5, MaxPercent: 34} // e3 is 1 of 3 linked
			v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
			v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
			v.hr.Put(syncengine.Users, person("e3", "c@example.com", "C", "Three", true))
			v.lms.Put(syncengine.Users, learner("l3", "C@example.com", "C", "Old", true))
			v.sync(t)
			e1 := v.links(t)["e1"]
			// Webhook: e1 renamed, e2 renamed too (but not named by the event),
			// e3 deleted from HR, e4 hired.
			v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
			v.hr.Put(syncengine.Users, person("e2", "b@example.com", "Bea", "Two", true))
			v.hr.Delete(syncengine.Users, "e3")
			v.hr.Put(syncengine.Users, person("e4", "d@example.com", "D", "Four", true))
			v.lms.ResetCalls()
			eng := v.engine(t)
			rep, err := eng.SyncIDs(context.Background(), syncengine.SideA, syncengine.Users, []string{"e1", "e3", "e4", "e4"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]syncengine.Action{}
			for _, o := range rep.Outcomes {
				got[o.AID] = o.Action
			}
			want := map[string]syncengine.Action{"e1": syncengine.ActionUpdate, "e3": syncengine.ActionDeactivate, "e4": syncengine.ActionCreate}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			lms := emails(t, v.lms)
			if lms["a@example.com"].Fields["first_name"] != "Ann" || lms["b@example.com"].Fields["first_name"] != "B" ||
				lms["C@example.com"].Active || lms["d@example.com"].ID == "" || lms["a@example.com"].ID != e1 {
				t.Errorf("sink = %+v", lms)
			}
			if n := v.lms.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpList }); find && n != 0 {
				t.Errorf("event sync listed the whole sink %d times", n)
			}
		})
	}
}

// TestEventDeactivationPercent: an event-driven run that would deactivate
// more than MaxPercent of the linked records is held like a full sync,
// and one within it goes through.
func TestEventDeactivationPercent(t *testing.T) {
	for _, tt := range []struct {
		name string
		ids  []string
		held bool
	}{
		{"one of ten", []string{"e1"}, false},
		{"four of ten", []string{"e1", "e2", "e3", "e4"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			v.cfg.Threshold = syncengine.Threshold{MaxPercent: 20}
			for _, id := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"} {
				v.hr.Put(syncengine.Users, person("e"+id, id+"@example.com", "N", id, true))
			}
			v.sync(t)
			for _, id := range tt.ids {
				r, _ := v.hr.Record(syncengine.Users, id)
				r.Active = false
				v.hr.Put(syncengine.Users, r)
			}
			v.lms.ResetCalls()
			rep, err := v.engine(t).SyncIDs(context.Background(), syncengine.SideA, syncengine.Users, tt.ids)
			if tt.held {
				if !errors.Is(err, syncengine.ErrThresholdExceeded) || rep.Held == nil || v.lms.Writes() != 0 {
					t.Errorf("err = %v, held = %+v, writes = %d; want held, nothing written", err, rep.Held, v.lms.Writes())
				}
				return
			}
			if err != nil || v.lms.Writes() != len(tt.ids) {
				t.Errorf("err = %v, writes = %d; want %d deactivations", err, v.lms.Writes(), len(tt.ids))
			}
		})
	}
}

func TestSyncIDsRejectsWrongSide(t *testing.T) {
	v := newEnv(nil, nil)
	_, err := v.engine(t).SyncIDs(context.Background(), syncengine.SideB, syncengine.Users, []string{"l1"})
	if !errors.Is(err, syncengine.ErrConfig) {
		t.Errorf("err = %v, want ErrConfig", err)
	}
}

func TestSyncChangesIncremental(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
	eng := v.engine(t)
	// No cursor yet: a full sync, which stores one.
	rep, err := eng.SyncChanges(context.Background())
	if err != nil || rep.Counts["created"] != 2 {
		t.Fatalf("first SyncChanges: %v %v", rep.Counts, err)
	}
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "Bea", "Two", true))
	v.hr.ResetCalls()
	rep, err = eng.SyncChanges(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Outcomes) != 1 || rep.Outcomes[0].AID != "e2" || rep.Outcomes[0].Action != syncengine.ActionUpdate {
		t.Errorf("incremental outcomes = %+v", rep.Outcomes)
	}
	if n := v.hr.Count(func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpList }); n != 0 {
		t.Errorf("incremental run listed HR %d times", n)
	}
	rep, err = eng.SyncChanges(context.Background())
	if err != nil || len(rep.Outcomes) != 0 {
		t.Errorf("nothing changed, outcomes = %+v, %v", rep.Outcomes, err)
	}
	// A failed record keeps the cursor, so it is read again.
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
	v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpUpdate, Times: 3})
	if rep, _ = eng.SyncChanges(context.Background()); !rep.Failed() {
		t.Fatalf("want a failed run: %+v", rep.Outcomes)
	}
	if rep, _ = eng.SyncChanges(context.Background()); rep.Counts["updated"] != 1 {
		t.Errorf("retry run counts = %v", rep.Counts)
	}
	if emails(t, v.lms)["a@example.com"].Fields["first_name"] != "Ann" {
		t.Error("change lost")
	}
}

// snapshotSource finds changes by comparing snapshots, as TalentHR's
// directory does: each Changes call costs a whole read, counted in reads,
// and the cursor of its last List is known without one (ListCursorer).
type snapshotSource struct {
	*syncenginetest.Connector
	reads  int
	cursor string
}

func (s *snapshotSource) Changes(ctx context.Context, c syncengine.Collection, cursor string) ([]string, string, error) {
	s.reads++
	return s.Connector.Changes(ctx, c, cursor)
}

func (s *snapshotSource) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		_, cur, err := s.Connector.Changes(ctx, c, "") // the snapshot the listing reads
		if err != nil {
			yield(syncengine.Record{}, err)
			return
		}
		for r, err := range s.Connector.List(ctx, c) {
			if !yield(r, err) || err != nil {
				return
			}
		}
		s.reads++
		s.cursor = cur
	}
}

func (s *snapshotSource) ListCursor(syncengine.Collection) (string, bool) {
	return s.cursor, s.cursor != ""
}

// A full sync over a ListCursorer source reads it once, taking the
// change cursor from its listing; SyncChanges then goes on from there.
func TestFullSyncTakesTheCursorFromTheListing(t *testing.T) {
	v := newEnv(nil, nil)
	src := &snapshotSource{Connector: v.hr}
	v.cfg.A = src
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	eng := v.engine(t)
	if _, err := eng.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if src.reads != 1 {
		t.Errorf("a full sync read the source %d times, want 1 (the listing)", src.reads)
	}
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "Ann", "One", true))
	rep, err := eng.SyncChanges(context.Background())
	if err != nil || len(rep.Outcomes) != 1 || rep.Outcomes[0].Action != syncengine.ActionUpdate {
		t.Fatalf("incremental run: %+v %v", rep, err)
	}
}

// In a two-way pair where one side lists changes and the other cannot,
// SyncChanges syncs the listed side's changes and leaves the other's to
// the next full Sync, instead of running a full sync every time.
func TestSyncChangesSkipsSourcesThatCannotList(t *testing.T) {
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Users,
		syncenginetest.AllCapabilities&^syncengine.CanListChanges)})
	v.cfg.Direction = syncengine.TwoWay
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Two", true))
	eng := v.engine(t)
	if rep, err := eng.SyncChanges(context.Background()); err != nil || rep.Counts["created"] != 2 {
		t.Fatalf("first SyncChanges (a full sync): %v %v", rep, err)
	}
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "Bea", "Two", true))
	v.hr.ResetCalls()
	v.lms.ResetCalls()
	rep, err := eng.SyncChanges(context.Background())
	if err != nil || len(rep.Outcomes) != 1 || rep.Outcomes[0].AID != "e2" {
		t.Fatalf("incremental run: %+v %v", rep, err)
	}
	list := func(c syncenginetest.Call) bool { return c.Op == syncenginetest.OpList }
	if n := v.hr.Count(list) + v.lms.Count(list); n != 0 {
		t.Errorf("the incremental run listed %d times", n)
	}
}
