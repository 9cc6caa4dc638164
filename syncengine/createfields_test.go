package syncengine_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// A create sends the plan's fields as they stand at Apply: a plan edited
// after the engine made it creates what the edit says, not what the map
// made (the engine keeps the map's fields to send them without a copy
// only while they are exactly the change's).
func TestCreateSendsEditedPlan(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.BulkMin = 1 << 30
	v.hr.Put(syncengine.Users, person("e1", "ana@example.com", "Ana", "Lima", true))
	v.hr.Put(syncengine.Users, person("e2", "bo@example.com", "Bo", "Berg", true))
	v.hr.Put(syncengine.Users, person("e3", "cy@example.com", "Cy", "Cruz", true))
	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Changes {
		ch := &p.Changes[i]
		switch ch.AID {
		case "e1": // an edited value
			for k := range ch.Fields {
				if ch.Fields[k].Field == "last_name" {
					ch.Fields[k].New = "Lima-Sousa"
				}
			}
		case "e2": // a field dropped
			ch.Fields = slices.DeleteFunc(slices.Clone(ch.Fields), func(d syncengine.FieldDiff) bool { return d.Field == "first_name" })
		}
	}
	if _, err := eng.Apply(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{
		"ana@example.com": {"email": "ana@example.com", "first_name": "Ana", "last_name": "Lima-Sousa"},
		"bo@example.com":  {"email": "bo@example.com", "last_name": "Berg"},
		"cy@example.com":  {"email": "cy@example.com", "first_name": "Cy", "last_name": "Cruz"},
	}
	recs := v.lms.Records(syncengine.Users)
	if len(recs) != len(want) {
		t.Fatalf("%d learners, want %d: %v", len(recs), len(want), recs)
	}
	for _, r := range recs {
		w := want[r.Fields["email"].(string)]
		if len(r.Fields) != len(w) {
			t.Errorf("%s: fields %v, want %v", r.ID, r.Fields, w)
		}
		for f, val := range w {
			if r.Fields[f] != val {
				t.Errorf("%s: %s = %v, want %v", r.ID, f, r.Fields[f], val)
			}
		}
	}
}
