package syncenginetest

import (
	"context"
	"sort"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// updateClear checks that Update with a nil value clears the field (the
// engine sends nil when a source field was emptied), one field of Change
// at a time. A system may refuse to empty a field it requires, with an
// error; it must never report success and keep the value. At least one
// field of Change must be clearable.
func (s suite) updateClear(t *testing.T, k syncengine.Connector) {
	s.need(t, k, syncengine.CanGet|syncengine.CanUpdate)
	id, _ := s.create(t, k, 60)
	fields := sortedFields(s.opts.Change(s.c, 60))
	if len(fields) == 0 {
		t.Fatalf("Change(%s, 60) is empty", s.c)
	}
	cleared := 0
	for _, f := range fields {
		if err := k.Update(context.Background(), s.c, id, map[string]any{f: nil}); err != nil {
			t.Logf("Update(%s, %q, {%s: nil}) refused: %v", s.c, id, f, err)
			continue
		}
		got := s.get(t, k, id)
		if v, ok := got.Fields[f]; ok && v != nil && v != "" {
			t.Errorf("Get after Update(%s, {%s: nil}): %s = %#v, want it cleared (absent, nil or \"\")", s.c, f, f, v)
			continue
		}
		cleared++
	}
	if cleared == 0 {
		t.Errorf("Update(%s) cleared none of %v; give ConformanceOptions.Change an optional field", s.c, fields)
	}
}

func sortedFields(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for f := range m {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// inactive checks that List (unless ListOmitsInactive) and Find yield
// deactivated records, with Active false.
func (s suite) inactive(t *testing.T, k syncengine.Connector) {
	caps := k.Capabilities(s.c)
	checkList := caps.Has(syncengine.CanList) && !s.opts.ListOmitsInactive
	checkFind := caps.Has(syncengine.CanFind) && s.opts.FindField[s.c] != ""
	if !checkList && !checkFind {
		t.Skipf("%s: neither List (declared to include inactive records) nor Find to check", s.c)
	}
	id, rec := s.createInactive(t, k, 50)
	if checkList {
		found := false
		for r, err := range k.List(context.Background(), s.c) {
			if err != nil {
				t.Fatalf("List(%s): %v", s.c, err)
			}
			if r.ID == id {
				found = true
				if r.Active {
					t.Errorf("List(%s) yields deactivated record %q with Active true", s.c, id)
				}
			}
		}
		if !found {
			t.Errorf("List(%s) does not yield deactivated record %q; the engine would create a duplicate "+
				"when the person comes back (set ConformanceOptions.ListOmitsInactive if List cannot include them)", s.c, id)
		}
	}
	if checkFind {
		field, value := s.findValue(t, rec)
		got, err := k.(syncengine.Finder).Find(context.Background(), s.c, field, value)
		if err != nil {
			t.Fatalf("Find(%s, %s, %q): %v", s.c, field, value, err)
		}
		if len(got) != 1 || got[0].ID != id || got[0].Active {
			t.Errorf("Find(%s, %s, %q) = %+v; want exactly deactivated record %q with Active false", s.c, field, value, got, id)
		}
	}
}

// createInactive makes a deactivated record: created and deactivated when
// the connector can, else seeded inactive.
func (s suite) createInactive(t *testing.T, k syncengine.Connector, i int) (string, syncengine.Record) {
	t.Helper()
	caps := k.Capabilities(s.c)
	rec := s.opts.NewRecord(s.c, i)
	switch {
	case caps.Has(syncengine.CanCreate | syncengine.CanSetActive):
		id, rec := s.create(t, k, i)
		if err := k.SetActive(context.Background(), s.c, id, false); err != nil {
			t.Fatalf("SetActive(%s, %q, false): %v", s.c, id, err)
		}
		return id, rec
	case s.opts.Seed != nil:
		rec.Active = false
		return s.opts.Seed(t, k, s.c, rec), rec
	}
	t.Skipf("%s: connector cannot deactivate a record and ConformanceOptions.Seed is nil", s.c)
	return "", rec
}
