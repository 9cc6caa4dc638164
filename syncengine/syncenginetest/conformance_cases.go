package syncenginetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/syncengine"
)

// implements checks that declared optional capabilities come with their interface.
func (s suite) implements(t *testing.T, k syncengine.Connector) {
	caps := k.Capabilities(s.c)
	_, cl := k.(syncengine.ChangeLister)
	_, f := k.(syncengine.Finder)
	_, w := k.(syncengine.RefWriter)
	_, rw := k.(syncengine.RecordWriter)
	_, bc := k.(syncengine.BulkCreator)
	_, mf := k.(syncengine.ManyFinder)
	for _, c := range []struct {
		cap  syncengine.Capability
		name string
		ok   bool
	}{{syncengine.CanListChanges, "ChangeLister", cl}, {syncengine.CanFind, "Finder", f}, {syncengine.CanWriteRefs, "RefWriter", w},
		{syncengine.CanWriteRecord, "RecordWriter", rw}, {syncengine.CanCreateBulk, "BulkCreator", bc},
		{syncengine.CanFindMany, "ManyFinder", mf}} {
		if caps.Has(c.cap) && !c.ok {
			t.Errorf("capability %b declared on %s but the connector does not implement syncengine.%s", c.cap, s.c, c.name)
		}
	}
}

// capabilities checks that undeclared operations fail with ErrUnsupported
// and declared optional ones are implemented.
func (s suite) capabilities(t *testing.T, k syncengine.Connector) {
	s.implements(t, k)
	caps := k.Capabilities(s.c)
	ctx := context.Background()
	id := s.opts.UnknownID
	checks := []struct {
		cap syncengine.Capability
		op  string
		run func() (implemented bool, err error)
	}{
		{syncengine.CanList, "List", func() (bool, error) {
			for _, err := range k.List(ctx, s.c) {
				return true, err
			}
			return true, nil
		}},
		{syncengine.CanGet, "Get", func() (bool, error) { _, err := k.Get(ctx, s.c, id); return true, err }},
		{syncengine.CanCreate, "Create", func() (bool, error) {
			_, err := k.Create(ctx, s.c, s.opts.NewRecord(s.c, 0))
			return true, err
		}},
		{syncengine.CanUpdate, "Update", func() (bool, error) {
			return true, k.Update(ctx, s.c, id, s.opts.Change(s.c, 0))
		}},
		{syncengine.CanSetActive, "SetActive", func() (bool, error) { return true, k.SetActive(ctx, s.c, id, false) }},
		{syncengine.CanListChanges, "Changes", func() (bool, error) {
			cl, ok := k.(syncengine.ChangeLister)
			if !ok {
				return false, nil
			}
			_, _, err := cl.Changes(ctx, s.c, "")
			return true, err
		}},
		{syncengine.CanFind, "Find", func() (bool, error) {
			f, ok := k.(syncengine.Finder)
			if !ok {
				return false, nil
			}
			_, err := f.Find(ctx, s.c, "syncenginetest-field", "x")
			return true, err
		}},
		{syncengine.CanWriteRefs, "WriteRefs", func() (bool, error) {
			w, ok := k.(syncengine.RefWriter)
			if !ok {
				return false, nil
			}
			return true, w.WriteRefs(ctx, s.c, id, nil)
		}},
	}
	for _, c := range checks {
		if caps.Has(c.cap) {
			continue
		}
		implemented, err := c.run()
		if implemented && !errors.Is(err, syncengine.ErrUnsupported) {
			t.Errorf("%s on %s is not declared; err = %v, want ErrUnsupported", c.op, s.c, err)
		}
	}
}

func (s suite) createGet(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanGet)
	id, want := s.create(t, k, 1)
	got := s.get(t, k, id)
	if diff := cmp.Diff(want.Fields, subset(got.Fields, want.Fields)); diff != "" {
		t.Errorf("Get after Create(%s): fields differ (-created +got):\n%s", s.c, diff)
	}
	if got.Active != want.Active {
		t.Errorf("Get after Create(%s): Active = %v, want %v", s.c, got.Active, want.Active)
	}
}

func (s suite) uniqueIDs(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanCreate)
	const n = 8
	ids := make([]string, n)
	errs := make([]error, n)
	concurrently(n, func(i int) {
		ids[i], errs[i] = k.Create(context.Background(), s.c, s.opts.NewRecord(s.c, 10+i))
	})
	seen := map[string]int{}
	for i, id := range ids {
		if errs[i] != nil {
			t.Fatalf("concurrent Create(%s, #%d): %v", s.c, 10+i, errs[i])
		}
		if j, dup := seen[id]; dup || id == "" {
			t.Errorf("Create(%s) #%d and #%d returned the same id %q", s.c, 10+j, 10+i, id)
		}
		seen[id] = i
	}
}

func (s suite) update(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanGet|syncengine.CanUpdate)
	id, rec := s.create(t, k, 2)
	change := s.opts.Change(s.c, 2)
	if len(change) == 0 {
		t.Fatalf("Change(%s, 2) is empty", s.c)
	}
	before := s.get(t, k, id)
	if err := k.Update(context.Background(), s.c, id, change); err != nil {
		t.Fatalf("Update(%s, %q, %v): %v", s.c, id, change, err)
	}
	got := s.get(t, k, id)
	want := map[string]any{}
	for f := range rec.Fields {
		want[f] = before.Fields[f]
	}
	for f, v := range change {
		want[f] = v
	}
	if diff := cmp.Diff(want, subset(got.Fields, want)); diff != "" {
		t.Errorf("Get after Update(%s, %v) (-want +got):\n%s", s.c, change, diff)
	}
	if got.Active != before.Active {
		t.Errorf("Update(%s) changed Active from %v to %v", s.c, before.Active, got.Active)
	}
	if err := k.Update(context.Background(), s.c, s.opts.UnknownID, change); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Update(%s) of unknown id: err = %v, want ErrNotFound", s.c, err)
	}
}

func (s suite) setActive(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanGet|syncengine.CanSetActive)
	id, rec := s.create(t, k, 3)
	for _, active := range []bool{false, false, true, true, false} {
		if err := k.SetActive(context.Background(), s.c, id, active); err != nil {
			t.Fatalf("SetActive(%s, %q, %v): %v", s.c, id, active, err)
		}
		got := s.get(t, k, id)
		if got.Active != active {
			t.Errorf("after SetActive(%v): Active = %v", active, got.Active)
		}
		if diff := cmp.Diff(rec.Fields, subset(got.Fields, rec.Fields)); diff != "" {
			t.Errorf("SetActive(%v) changed fields (-created +got):\n%s", active, diff)
		}
	}
	if err := k.SetActive(context.Background(), s.c, s.opts.UnknownID, false); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("SetActive(%s) of unknown id: err = %v, want ErrNotFound", s.c, err)
	}
}

func (s suite) getUnknown(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanGet)
	_, err := k.Get(context.Background(), s.c, s.opts.UnknownID)
	if !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("Get(%s, %q): err = %v, want one wrapping ErrNotFound", s.c, s.opts.UnknownID, err)
	}
}

func (s suite) list(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanList)
	var want []string
	for i := 4; i < 7; i++ {
		id, _ := s.create(t, k, i)
		want = append(want, id)
	}
	got := s.listIDs(t, k)
	for _, id := range want {
		if !got[id] {
			t.Errorf("List(%s) did not yield created record %q", s.c, id)
		}
	}
}

func (s suite) listBreak(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanList)
	s.create(t, k, 7)
	s.create(t, k, 8)
	calls := 0
	k.List(context.Background(), s.c)(func(_ syncengine.Record, err error) bool {
		calls++
		if err != nil {
			t.Errorf("List(%s): %v", s.c, err)
		}
		return false
	})
	if calls != 1 {
		t.Errorf("List(%s) called yield %d times after it returned false, want 1", s.c, calls)
	}
}

func (s suite) cancelled(t *testing.T, k syncengine.Connector) {
	caps := k.Capabilities(s.c)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if caps.Has(syncengine.CanGet) {
		if _, err := k.Get(ctx, s.c, s.opts.UnknownID); !errors.Is(err, context.Canceled) {
			t.Errorf("Get(%s) with a cancelled context: err = %v, want context.Canceled", s.c, err)
		}
	}
	if caps.Has(syncengine.CanList) {
		n := 0
		for _, err := range k.List(ctx, s.c) {
			if n++; err == nil {
				t.Errorf("List(%s) with a cancelled context yielded a record", s.c)
			} else if !errors.Is(err, context.Canceled) {
				t.Errorf("List(%s) with a cancelled context: err = %v, want context.Canceled", s.c, err)
			}
			break
		}
		if n == 0 {
			t.Errorf("List(%s) with a cancelled context yielded nothing; want an error", s.c)
		}
	}
	if !caps.Has(syncengine.CanCreate) {
		return
	}
	if _, err := k.Create(ctx, s.c, s.opts.NewRecord(s.c, 9)); !errors.Is(err, context.Canceled) {
		t.Errorf("Create(%s) with a cancelled context: err = %v, want context.Canceled", s.c, err)
	}
	if caps.Has(syncengine.CanList) {
		if ids := s.listIDs(t, k); len(ids) != 0 {
			t.Errorf("Create(%s) with a cancelled context created %d records", s.c, len(ids))
		}
	}
}

func (s suite) changes(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanListChanges)
	cl := k.(syncengine.ChangeLister)
	ctx := context.Background()
	var updated string
	if k.Capabilities(s.c).Has(syncengine.CanUpdate) {
		updated, _ = s.create(t, k, 20)
	}
	ids, cursor, err := cl.Changes(ctx, s.c, "")
	if err != nil || len(ids) != 0 || cursor == "" {
		t.Fatalf("Changes(%s, \"\") = %v, %q, %v; want no ids, a cursor, no error", s.c, ids, cursor, err)
	}
	created, _ := s.create(t, k, 21)
	want := []string{created}
	if updated != "" {
		if err := k.Update(ctx, s.c, updated, s.opts.Change(s.c, 20)); err != nil {
			t.Fatalf("Update(%s, %q): %v", s.c, updated, err)
		}
		want = append(want, updated)
	}
	ids, next, err := cl.Changes(ctx, s.c, cursor)
	if err != nil || next == "" {
		t.Fatalf("Changes(%s, %q) = %v, %q, %v; want a next cursor and no error", s.c, cursor, ids, next, err)
	}
	for _, id := range want {
		if !slices.Contains(ids, id) {
			t.Errorf("Changes(%s, %q) = %v; missing changed record %q", s.c, cursor, ids, id)
		}
	}
}

func (s suite) find(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanFind)
	f := k.(syncengine.Finder)
	id, rec := s.create(t, k, 30)
	s.create(t, k, 31)
	field, value := s.findValue(t, rec)
	queries := []string{value}
	if s.opts.FindFold {
		queries = append(queries, upperSpaced(value))
	}
	for _, q := range queries {
		got, err := f.Find(context.Background(), s.c, field, q)
		if err != nil {
			t.Fatalf("Find(%s, %s, %q): %v", s.c, field, q, err)
		}
		if len(got) != 1 || got[0].ID != id {
			t.Errorf("Find(%s, %s, %q) = %v; want exactly record %q", s.c, field, q, recordIDs(got), id)
		}
	}
	got, err := f.Find(context.Background(), s.c, field, "syncenginetest-no-such-value")
	if err != nil || len(got) != 0 {
		t.Errorf("Find(%s, %s, no such value) = %v, %v; want nothing and no error", s.c, field, recordIDs(got), err)
	}
}

func (s suite) writeRefs(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanWriteRefs|syncengine.CanGet)
	w := k.(syncengine.RefWriter)
	target, _ := s.create(t, k, 40)
	id, _ := s.create(t, k, 41)
	refs := s.opts.Refs(s.c, target)
	if refs == nil {
		t.Skipf("no Refs for %s", s.c)
	}
	if err := w.WriteRefs(context.Background(), s.c, id, refs); err != nil {
		t.Fatalf("WriteRefs(%s, %q, %v): %v", s.c, id, refs, err)
	}
	got := s.get(t, k, id)
	for role, want := range refs {
		if diff := cmp.Diff(want, got.Refs[role]); diff != "" {
			t.Errorf("Get after WriteRefs: refs %q differ (-written +got):\n%s", role, diff)
		}
	}
}

func recordIDs(rs []syncengine.Record) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}
