package syncenginetest

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/syncengine"
)

// The checks of the optional interfaces that save calls or feed reports.

// describe: a Describer names the records NewRecord makes, the same way
// for the record as created and as read back.
func (s suite) describe(t *testing.T, k syncengine.Connector) {
	d, ok := k.(syncengine.Describer)
	if !ok {
		t.Skip("not a syncengine.Describer")
	}
	s.need(t, k, syncengine.CanGet)
	id, _ := s.create(t, k, 50)
	got := s.get(t, k, id)
	if d.Describe(s.c, got).Name == "" {
		t.Errorf("Describe(%s %q) has no name: %+v", s.c, id, got.Fields)
	}
}

// scope: a Scoper says the same of a record however it was read.
func (s suite) scope(t *testing.T, k syncengine.Connector) {
	sc, ok := k.(syncengine.Scoper)
	if !ok {
		t.Skip("not a syncengine.Scoper")
	}
	s.need(t, k, syncengine.CanGet|syncengine.CanList)
	s.create(t, k, 51)
	for r, err := range k.List(context.Background(), s.c) {
		if err != nil {
			t.Fatal(err)
		}
		got := s.get(t, k, r.ID)
		if sc.InScope(s.c, r) != sc.InScope(s.c, got) {
			t.Errorf("InScope(%s %q) differs between List (%v) and Get (%v)", s.c, r.ID, sc.InScope(s.c, r), sc.InScope(s.c, got))
		}
	}
}

// writeRecord: a RecordWriter writes fields, the active flag and
// references in one call, from the record the engine read (Base) or
// without one, and leaves the other fields as they are.
func (s suite) writeRecord(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanWriteRecord|syncengine.CanGet)
	rw := k.(syncengine.RecordWriter)
	ctx := context.Background()
	for _, withBase := range []bool{true, false} {
		id, rec := s.create(t, k, map[bool]int{true: 52, false: 53}[withBase])
		read := s.get(t, k, id)
		change := s.opts.Change(s.c, map[bool]int{true: 52, false: 53}[withBase])
		off := false
		w := syncengine.Write{ID: id, Fields: change, Active: &off}
		if withBase {
			w.Base = &read
		}
		if refs := s.opts.Refs(s.c, id); refs != nil && k.Capabilities(s.c).Has(syncengine.CanWriteRefs) {
			target, _ := s.create(t, k, map[bool]int{true: 54, false: 55}[withBase])
			w.Refs = s.opts.Refs(s.c, target)
		}
		if err := rw.Write(ctx, s.c, w); err != nil {
			t.Fatalf("Write(%s, base %v): %v", s.c, withBase, err)
		}
		got := s.get(t, k, id)
		want := mergeWant(rec.Fields, change)
		if diff := cmp.Diff(want, subset(got.Fields, want)); diff != "" {
			t.Errorf("Write (base %v): fields (-want +got):\n%s", withBase, diff)
		}
		if got.Active {
			t.Errorf("Write (base %v) with Active false: record still active", withBase)
		}
		for role, refs := range w.Refs {
			if diff := cmp.Diff(refs, got.Refs[role]); diff != "" {
				t.Errorf("Write (base %v): refs %q (-want +got):\n%s", withBase, role, diff)
			}
		}
	}
}

func mergeWant(fields, change map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for f, v := range fields {
		out[f] = v
	}
	for f, v := range change {
		out[f] = v
	}
	return out
}

// createRefs: with CanCreateRefs, a create sets the references it is given.
func (s suite) createRefs(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanCreateRefs|syncengine.CanCreate|syncengine.CanGet)
	target, _ := s.create(t, k, 56)
	refs := s.opts.Refs(s.c, target)
	if refs == nil {
		t.Skipf("no Refs for %s", s.c)
	}
	rec := s.opts.NewRecord(s.c, 57)
	rec.Refs = refs
	id, err := k.Create(context.Background(), s.c, rec)
	if err != nil {
		t.Fatal(err)
	}
	got := s.get(t, k, id)
	for role, want := range refs {
		if diff := cmp.Diff(want, got.Refs[role]); diff != "" {
			t.Errorf("Create with refs: %q (-want +got):\n%s", role, diff)
		}
	}
}

// createBulk: a BulkCreator creates each record once, with one distinct
// id per record in order, and Get reads each back.
func (s suite) createBulk(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanCreateBulk|syncengine.CanGet)
	bc := k.(syncengine.BulkCreator)
	recs := []syncengine.Record{s.opts.NewRecord(s.c, 60), s.opts.NewRecord(s.c, 61), s.opts.NewRecord(s.c, 62)}
	res, err := bc.CreateBulk(context.Background(), s.c, recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(recs) {
		t.Fatalf("CreateBulk: %d results for %d records", len(res), len(recs))
	}
	var ids []string
	for i, r := range res {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("CreateBulk record %d: %+v", i, r)
		}
		ids = append(ids, r.ID)
		got := s.get(t, k, r.ID)
		if diff := cmp.Diff(recs[i].Fields, subset(got.Fields, recs[i].Fields)); diff != "" {
			t.Errorf("bulk record %d read back (-want +got):\n%s", i, diff)
		}
	}
	sort.Strings(ids)
	if len(slices.Compact(ids)) != len(recs) {
		t.Errorf("CreateBulk ids are not distinct: %v", ids)
	}
}

// readFields: a FieldReader told to read the fields of NewRecord yields
// them.
func (s suite) readFields(t *testing.T, k syncengine.Connector) {
	fr, ok := k.(syncengine.FieldReader)
	if !ok {
		t.Skip("not a syncengine.FieldReader")
	}
	s.need(t, k, syncengine.CanGet)
	id, rec := s.create(t, k, 63)
	var fields []string
	for f := range rec.Fields {
		fields = append(fields, f)
	}
	if err := fr.ReadFields(s.c, fields); err != nil {
		t.Fatalf("ReadFields(%v): %v", fields, err)
	}
	got := s.get(t, k, id)
	if diff := cmp.Diff(rec.Fields, subset(got.Fields, rec.Fields)); diff != "" {
		t.Errorf("after ReadFields, Get (-want +got):\n%s", diff)
	}
}
