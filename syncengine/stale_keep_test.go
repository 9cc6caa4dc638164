package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// KeepUnmanagedRefs, the manager's account deleted and made again by hand
// (matched again in this run): the deleted account, still e1's manager in
// the target, was managed, so it is replaced, not kept next to the new one.
func TestRematchedManagerDeletedAccountNotKept(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v := newEnv(nil, nil)
		v.cfg.Collections[0].AToB.KeepUnmanagedRefs = true
		if cheap {
			v.lms.SetCapabilities(syncengine.Users, syncenginetest.EveryCapability)
		}
		e1 := person("e1", "1@example.com", "N", "1", true)
		e1.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
		v.hr.Put(syncengine.Users, e1)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
		v.sync(t)
		v.lms.Delete(syncengine.Users, v.links(t)["e2"])
		v.lms.Put(syncengine.Users, learner("byhand", "2@example.com", "M", "2", true))
		p := v.plan(t)
		rep := v.sync(t)
		if got := emails(t, v.lms)["1@example.com"].Refs["manager"]; rep.Failed() || len(got) != 1 || got[0].ID != "byhand" {
			t.Errorf("cheap %v: e1's manager %v, want [byhand]; %s\nplan:\n%s\n%+v", cheap, got, rep.Summary(), p, rep.Outcomes)
		}
	}
}
