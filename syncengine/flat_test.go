package syncengine_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// noValues is a mapping.Map the planner cannot map as values.
type noValues struct{ *mapping.Map }

func (noValues) FlatTargets() ([]string, bool) { return nil, false }

// countValues counts the records a mapping.Map maps as values.
type countValues struct {
	*mapping.Map
	n *int
}

func (c countValues) ApplyValues(vals []any, set []bool, src map[string]any) error {
	*c.n++
	return c.Map.ApplyValues(vals, set, src)
}

// OwnsFastPaths opts in: countValues maps as its Map does.
func (c countValues) OwnsFastPaths(any) bool { return true }

// The planner maps linked records as values when the map allows it
// (mapping.Map's ApplyValues): the plan is the one mapping into a map
// gives, for updates, references, field failures, create-only targets,
// Rules.Fields and the schema's drops alike (the plans are compared in
// full; the counts only show the case is not trivial).
func TestValuesMappingPlansAsMap(t *testing.T) {
	m, err := mapping.Load([]byte(`{"name": "t", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "first_name", "source": "firstName", "transforms": [{"name": "trim"}]},
		{"target": "last_name", "source": "lastName"},
		{"target": "job_title", "source": "title", "transforms": [{"name": "ignore-if-empty"}]},
		{"target": "level", "source": "level"},
		{"target": "access", "constant": "Learner", "when": "create"},
		{"target": "note", "source": "note"},
		{"target": "ssn", "source": "ssn"},
		{"target": "manager", "source": "managerId", "transforms": [{"name": "reference", "args": {"collection": "users"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	v := newEnv(nil, nil)
	hr := schemaConn{v.hr, []syncengine.FieldInfo{{Name: "ssn", Type: "text"}}}
	lms := schemaConn{v.lms, []syncengine.FieldInfo{{Name: "ssn", Type: "date"}}}
	v.cfg.A, v.cfg.B = hr, lms
	r := &v.cfg.Collections[0].AToB
	r.Map, r.SameSchema = m, []string{"ssn"}
	r.Fields = []string{"email", "first_name", "last_name", "job_title", "level", "access", "ssn", "manager"} // not note
	for i, id := range []string{"e1", "e2", "e3", "e4", "e5"} {
		p := person(id, id+"@example.com", "P", id, true)
		p.Fields["title"], p.Fields["level"], p.Fields["note"], p.Fields["ssn"] = "Clerk", float64(i), "n", "123"
		if id != "e1" {
			p.Fields["managerId"] = "e1"
		}
		v.hr.Put(syncengine.Users, p)
	}
	if rep := v.sync(t); rep.Counts[syncengine.ResultCreated] != 5 {
		t.Fatalf("first sync: %s", rep.Summary())
	}
	change := func(id string, f func(map[string]any)) {
		rec, _ := v.hr.Record(syncengine.Users, id)
		f(rec.Fields)
		v.hr.Put(syncengine.Users, rec)
	}
	change("e2", func(f map[string]any) { f["title"], f["level"] = "Lead", float64(7) })
	change("e3", func(f map[string]any) { f["managerId"], f["firstName"] = "e2", " P " })
	change("e4", func(f map[string]any) { delete(f, "email"); f["title"] = "" })
	change("e5", func(f map[string]any) { f["note"], f["ssn"] = "changed", "456" })
	for _, rec := range v.lms.Records(syncengine.Users) {
		rec.Fields["access"] = "Team Leader" // changed by an admin: create-only, left alone
		v.lms.Put(syncengine.Users, rec)
	}

	var mapped int
	r.Map = countValues{m, &mapped}
	values := v.plan(t)
	if mapped != 5 {
		t.Errorf("%d records mapped as values, want the 5 linked ones", mapped)
	}
	r.Map = noValues{m}
	asMap := v.plan(t)
	if diff := cmp.Diff(asMap.Changes, values.Changes); diff != "" {
		t.Errorf("plan mapped as values (-as map +as values):\n%s", diff)
	}
	if got := values.Summary(); got.Update != 2 || got.Failing != 1 {
		t.Errorf("plan: %+v\n%s", got, values)
	}
}

// upperNames embeds a mapping.Map and upper-cases last_name in Apply (and,
// with alsoTo, in ApplyTo), without a values form of its own.
type upperNames struct {
	*mapping.Map
	alsoTo bool
}

func (u upperNames) Apply(src map[string]any) (map[string]any, error) {
	out, err := u.Map.Apply(src)
	upper(out)
	return out, err
}

func (u upperNames) ApplyTo(dst, src map[string]any) error {
	err := u.Map.ApplyTo(dst, src)
	if u.alsoTo {
		upper(dst)
	}
	return err
}

func upper(m map[string]any) {
	if s, ok := m["last_name"].(string); ok {
		m["last_name"] = strings.ToUpper(s)
	}
}

// A FieldMap that embeds a mapping.Map and overrides Apply is mapped with
// its Apply: the embedded ApplyValues and ApplyTo, promoted, are not its
// own (mapping.Map.OwnsFastPaths), so a re-sync does not undo what the
// override did.
func TestEmbeddedMapOverrideIsMappedWithApply(t *testing.T) {
	m, err := mapping.Load([]byte(`{"name": "u", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "last_name", "source": "lastName"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, alsoTo := range []bool{false, true} {
		v := newEnv(nil, nil)
		v.cfg.Collections[0].AToB.Map = upperNames{m, alsoTo}
		v.hr.Put(syncengine.Users, person("e1", "ada@example.com", "Ada", "Lovelace", true))
		if rep := v.sync(t); rep.Counts[syncengine.ResultCreated] != 1 {
			t.Fatalf("first sync: %s", rep.Summary())
		}
		if got := emails(t, v.lms)["ada@example.com"].Fields["last_name"]; got != "LOVELACE" {
			t.Fatalf("created with last_name %v", got)
		}
		if p := v.plan(t); p.HasChanges() {
			t.Errorf("ApplyTo overridden %v: the re-sync plan changes what Apply made:\n%s", alsoTo, p)
		}
	}
}

// titleMap is a FieldMap of its own with a values form that sets only the
// values it writes: email always, job_title when there is a title.
type titleMap struct{}

func (titleMap) Apply(src map[string]any) (map[string]any, error) {
	out := map[string]any{"email": src["email"]}
	if t, ok := src["title"]; ok {
		out["job_title"] = t
	}
	return out, nil
}

func (titleMap) FlatTargets() ([]string, bool) { return []string{"email", "job_title"}, true }

func (titleMap) ApplyValues(vals []any, set []bool, src map[string]any) error {
	vals[0], set[0] = src["email"], true
	if t, ok := src["title"]; ok {
		vals[1], set[1] = t, true
	}
	return nil
}

// The engine clears the values before mapping each record: e2, who has no
// title, is not planned with e1's.
func TestValuesDoNotCarryOver(t *testing.T) {
	v := newEnv(nil, nil)
	for _, p := range []syncengine.Record{
		{ID: "e1", Active: true, Fields: map[string]any{"email": "a@example.com", "title": "Boss"}},
		{ID: "e2", Active: true, Fields: map[string]any{"email": "b@example.com"}},
	} {
		v.hr.Put(syncengine.Users, p)
		v.lms.Put(syncengine.Users, syncengine.Record{ID: "b" + p.ID, Active: true, Fields: map[string]any{"email": p.Fields["email"]}})
		v.link(t, p.ID, "b"+p.ID)
	}
	v.cfg.Collections[0].AToB.Map = titleMap{}
	p := v.plan(t)
	if s := p.Summary(); s.Update != 1 || !strings.Contains(p.String(), `lms:be1`) || strings.Contains(p.String(), `lms:be2`) {
		t.Errorf("want e1 alone updated (job_title Boss):\n%s", p)
	}
}
