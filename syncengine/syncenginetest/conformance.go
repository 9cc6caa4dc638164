package syncenginetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// ConformanceOptions adapts RunConnectorTests to a connector. The zero
// value suits connectors whose users have "email", "first_name" and
// "last_name" fields (the in-memory Connector).
type ConformanceOptions struct {
	// Collections to test (default: users, teams and enrollments, those
	// whose Capabilities are non-zero).
	Collections []syncengine.Collection
	// NewRecord returns the i-th valid new record for c; distinct i must
	// give records the system accepts side by side (distinct emails).
	// Default: DefaultRecord.
	NewRecord func(c syncengine.Collection, i int) syncengine.Record
	// Change returns new values for some (not all) fields of NewRecord(c, i).
	// Default: the last string field, in name order, with " changed" appended.
	Change func(c syncengine.Collection, i int) map[string]any
	// FindField names, per collection, the field Find is checked with
	// (default: "email" for users). A collection with none skips the check.
	FindField map[syncengine.Collection]string
	// FindFold: Find compares FindField values case-insensitively and
	// trimmed, and the suite checks that it does.
	FindFold bool
	// Refs returns references for a record of c pointing at target, another
	// record of c (default: users get {"manager": target}). Nil skips the check.
	Refs func(c syncengine.Collection, target string) map[string][]syncengine.Ref
	// Seed stores rec in the system behind k, bypassing k, and returns its
	// id. It lets the suite check connectors that cannot Create (read-only
	// sources): seed the fake server the factory started. Nil: checks that
	// need records are skipped for such connectors.
	Seed func(t *testing.T, k syncengine.Connector, c syncengine.Collection, rec syncengine.Record) string
	// UnknownID is an id no record has (default "syncenginetest-no-such-id").
	UnknownID string
	// ListOmitsInactive declares that List yields only active records. By
	// default the suite checks that List, like Find, yields deactivated
	// records too: the engine relies on seeing them to link a rehired
	// person to the record it deactivated instead of creating a duplicate.
	// A connector whose List cannot include them sets this; the engine then
	// depends on Find (or Get through the link table) to avoid duplicates.
	ListOmitsInactive bool
}

// DefaultRecord is the default ConformanceOptions.NewRecord.
func DefaultRecord(c syncengine.Collection, i int) syncengine.Record {
	var f map[string]any
	switch c {
	case syncengine.Users:
		f = map[string]any{"email": fmt.Sprintf("user%d@example.com", i),
			"first_name": fmt.Sprintf("First%d", i), "last_name": fmt.Sprintf("Last%d", i)}
	case syncengine.Teams:
		f = map[string]any{"name": fmt.Sprintf("Team %d", i), "description": fmt.Sprintf("Team number %d", i)}
	case syncengine.Courses:
		f = map[string]any{"name": fmt.Sprintf("Course %d", i), "code": fmt.Sprintf("C-%03d", i)}
	default:
		f = map[string]any{"course": fmt.Sprintf("course-%d", i), "status": "enrolled"}
	}
	return syncengine.Record{Fields: f, Active: true}
}

func (o *ConformanceOptions) defaults() {
	if o.NewRecord == nil {
		o.NewRecord = DefaultRecord
	}
	if o.Change == nil {
		newRecord := o.NewRecord
		o.Change = func(c syncengine.Collection, i int) map[string]any {
			return changeLastString(newRecord(c, i).Fields)
		}
	}
	if o.FindField == nil {
		o.FindField = map[syncengine.Collection]string{syncengine.Users: "email"}
	}
	if o.Refs == nil {
		o.Refs = func(c syncengine.Collection, target string) map[string][]syncengine.Ref {
			if c != syncengine.Users {
				return nil
			}
			return map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: target}}}
		}
	}
	if o.UnknownID == "" {
		o.UnknownID = "syncenginetest-no-such-id"
	}
}

func changeLastString(fields map[string]any) map[string]any {
	names := make([]string, 0, len(fields))
	for f, v := range fields {
		if _, ok := v.(string); ok {
			names = append(names, f)
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	last := names[len(names)-1]
	return map[string]any{last: fields[last].(string) + " changed"}
}

// RunConnectorTests checks that the connectors factory returns keep the
// contract the engine relies on. factory is called once per subtest and
// must return a connector on a fresh, writable system (a fake server).
//
// Checked per collection: capabilities match behaviour (undeclared
// operations fail with syncengine.ErrUnsupported, declared optional ones
// are implemented); Create then Get round-trips the fields; ids are unique,
// also under concurrent creates; Update writes only the given fields, and
// a nil value clears its field; SetActive toggles Active and is
// idempotent; Get of an unknown id wraps syncengine.ErrNotFound; List
// yields created records and stops when the consumer breaks; List (unless
// ConformanceOptions.ListOmitsInactive) and Find yield deactivated records
// too, with Active false; a cancelled context is respected and creates
// nothing; Changes, Find and WriteRefs behave as documented when declared.
func RunConnectorTests(t *testing.T, factory func(t *testing.T) syncengine.Connector, opts ConformanceOptions) {
	t.Helper()
	opts.defaults()
	cols := opts.Collections
	if len(cols) == 0 {
		probe := factory(t)
		for _, c := range []syncengine.Collection{syncengine.Users, syncengine.Teams, syncengine.Courses, syncengine.Enrollments} {
			if probe.Capabilities(c) != 0 {
				cols = append(cols, c)
			}
		}
	}
	if len(cols) == 0 {
		t.Fatal("syncenginetest: the connector serves no collection")
	}
	t.Run("Unserved", func(t *testing.T) { checkUnserved(t, factory(t)) })
	for _, c := range cols {
		s := suite{opts: opts, c: c}
		t.Run(string(c), func(t *testing.T) {
			for _, tc := range s.cases() {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, factory(t)) })
			}
		})
	}
}

type suite struct {
	opts ConformanceOptions
	c    syncengine.Collection
}

type conformanceCase struct {
	name string
	run  func(t *testing.T, k syncengine.Connector)
}

func (s suite) cases() []conformanceCase {
	return []conformanceCase{
		{"Capabilities", s.capabilities},
		{"CreateGet", s.createGet},
		{"UniqueIDs", s.uniqueIDs},
		{"Update", s.update},
		{"UpdateClear", s.updateClear},
		{"SetActive", s.setActive},
		{"GetUnknown", s.getUnknown},
		{"List", s.list},
		{"ListBreak", s.listBreak},
		{"Inactive", s.inactive},
		{"Cancelled", s.cancelled},
		{"Changes", s.changes},
		{"Find", s.find},
		{"WriteRefs", s.writeRefs},
		{"Describe", s.describe},
		{"Scope", s.scope},
		{"WriteRecord", s.writeRecord},
		{"CreateRefs", s.createRefs},
		{"CreateBulk", s.createBulk},
		{"ReadFields", s.readFields},
	}
}

func checkUnserved(t *testing.T, k syncengine.Connector) {
	const c = syncengine.Collection("syncenginetest-unserved")
	if caps := k.Capabilities(c); caps != 0 {
		t.Errorf("Capabilities(%q) = %b, want 0 for a collection the connector does not serve", c, caps)
	}
	_, err := k.Get(context.Background(), c, "x")
	if !errors.Is(err, syncengine.ErrUnsupported) {
		t.Errorf("Get on unserved collection %q: err = %v, want ErrUnsupported", c, err)
	}
}

// need skips the test unless the connector declares every capability in want.
func (s suite) need(t *testing.T, k syncengine.Connector, want syncengine.Capability) {
	t.Helper()
	if !k.Capabilities(s.c).Has(want) {
		t.Skipf("connector does not declare capabilities %b on %s (checked in Capabilities)", want, s.c)
	}
}

func (s suite) create(t *testing.T, k syncengine.Connector, i int) (string, syncengine.Record) {
	t.Helper()
	rec := s.opts.NewRecord(s.c, i)
	if !k.Capabilities(s.c).Has(syncengine.CanCreate) {
		if s.opts.Seed == nil {
			t.Skipf("%s: connector cannot Create and ConformanceOptions.Seed is nil", s.c)
		}
		return s.opts.Seed(t, k, s.c, rec), rec
	}
	id, err := k.Create(context.Background(), s.c, rec)
	if err != nil {
		t.Fatalf("Create(%s, #%d): %v", s.c, i, err)
	}
	if id == "" {
		t.Fatalf("Create(%s, #%d) returned an empty id", s.c, i)
	}
	return id, rec
}

func (s suite) get(t *testing.T, k syncengine.Connector, id string) syncengine.Record {
	t.Helper()
	got, err := k.Get(context.Background(), s.c, id)
	if err != nil {
		t.Fatalf("Get(%s, %q): %v", s.c, id, err)
	}
	if got.ID != id {
		t.Errorf("Get(%s, %q).ID = %q", s.c, id, got.ID)
	}
	return got
}

// subset returns got's values for the fields named in want.
func subset(got, want map[string]any) map[string]any {
	out := make(map[string]any, len(want))
	for f := range want {
		if v, ok := got[f]; ok {
			out[f] = v
		}
	}
	return out
}

func (s suite) listIDs(t *testing.T, k syncengine.Connector) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for r, err := range k.List(context.Background(), s.c) {
		if err != nil {
			t.Fatalf("List(%s): %v", s.c, err)
		}
		if r.ID == "" {
			t.Errorf("List(%s) yielded a record without an id (the engine refuses such a snapshot)", s.c)
		}
		if ids[r.ID] {
			t.Errorf("List(%s) yielded %q twice (the engine refuses such a snapshot)", s.c, r.ID)
		}
		ids[r.ID] = true
	}
	return ids
}

func (s suite) findValue(t *testing.T, rec syncengine.Record) (string, string) {
	t.Helper()
	field := s.opts.FindField[s.c]
	if field == "" {
		t.Skipf("no FindField for %s", s.c)
	}
	v, ok := rec.Fields[field].(string)
	if !ok {
		t.Fatalf("NewRecord(%s) has no string field %q to find by", s.c, field)
	}
	return field, v
}

func concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}

func upperSpaced(s string) string { return "  " + strings.ToUpper(s) + " " }
