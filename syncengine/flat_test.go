package syncengine_test

import (
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
