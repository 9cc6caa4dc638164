package syncengine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// nestedMap maps "title" to the target's custom field "custom.title".
type nestedMap struct{}

func (nestedMap) Apply(src map[string]any) (map[string]any, error) {
	return map[string]any{"email": src["email"], "custom": map[string]any{"title": src["title"]}}, nil
}

// Nested (custom) fields are compared leaf by leaf: a target that keeps
// custom fields of its own is not rewritten on every run, and a change
// writes just the changed leaf, merged into the target's nested field.
func TestNestedFieldsComparedLeafByLeaf(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections[0].AToB.Map = nestedMap{}
	v.hr.Put(syncengine.Users, syncengine.Record{ID: "e1", Active: true, Fields: map[string]any{"email": "a@example.com", "title": "Engineer"}})
	v.lms.Put(syncengine.Users, syncengine.Record{ID: "l1", Active: true, Fields: map[string]any{"email": "a@example.com",
		"custom": map[string]any{"title": "Engineer", "shirt_size": "M"}}})
	v.link(t, "e1", "l1")
	if p := v.plan(t); p.HasChanges() {
		t.Fatalf("a target with a custom field of its own is planned for an update:\n%s", p)
	}

	v.hr.Put(syncengine.Users, syncengine.Record{ID: "e1", Active: true, Fields: map[string]any{"email": "a@example.com", "title": "Staff Engineer"}})
	p := v.plan(t)
	if got := summarize(p); len(got) != 1 || !cmp.Equal(got[0].Fields, []string{"b.custom.title=Staff Engineer"}) {
		t.Fatalf("plan = %+v, want one update of custom.title", got)
	}
	v.lms.ResetCalls()
	v.sync(t)
	calls := v.lms.Calls()
	var updates []map[string]any
	for _, c := range calls {
		if c.Op == syncenginetest.OpUpdate {
			updates = append(updates, c.Fields)
		}
	}
	if diff := cmp.Diff([]map[string]any{{"custom": map[string]any{"title": "Staff Engineer"}}}, updates); diff != "" {
		t.Errorf("Update calls (-want +got):\n%s", diff)
	}
	got := v.lms.Records(syncengine.Users)[0].Fields["custom"]
	if diff := cmp.Diff(map[string]any{"title": "Staff Engineer", "shirt_size": "M"}, got); diff != "" {
		t.Errorf("target's custom field (-want +got):\n%s", diff)
	}
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("plan after the sync has changes:\n%s", p)
	}
}
