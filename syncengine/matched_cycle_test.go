package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// People who already have accounts and manage each other in a cycle are
// matched, written once each with their manager, and settle.
func TestMatchedManagerCycle(t *testing.T) {
	v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability)})
	for i, m := range map[string]string{"a": "b", "b": "c", "c": "a", "d": "a"} {
		p := person(i, i+"@example.com", "F", "New", true)
		p.Refs = map[string][]syncengine.Ref{"manager": {personRef(m)}}
		v.hr.Put(syncengine.Users, p)
		v.lms.Put(syncengine.Users, learner("l"+i, i+"@example.com", "F", "Old", true))
	}
	rep := v.sync(t)
	if rep.Failed() {
		t.Fatalf("%s; %v", rep.Summary(), ops(v.lms))
	}
	for i, m := range map[string]string{"a": "b", "b": "c", "c": "a", "d": "a"} {
		if got := emails(t, v.lms)[i+"@example.com"].Refs["manager"]; len(got) != 1 || got[0].ID != "l"+m {
			t.Errorf("%s's manager %v", i, got)
		}
	}
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("not settled:\n%s", p)
	}
}
