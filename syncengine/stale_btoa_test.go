package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// B -> A: the manager's A record was deleted and made again by hand, and
// the manager (source l2) is matched to it again: the new link replaces
// the stale one (stored under the deleted A id), so later runs translate
// l2 to the new record only.
func TestBToARematchDropsStaleLink(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.BToA
	v.cfg.Collections[0].AToB = syncengine.Rules{}
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	l1 := learner("l1", "1@example.com", "N", "1", true)
	l1.Refs = map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: "l2"}}}
	v.lms.Put(syncengine.Users, l1)
	v.lms.Put(syncengine.Users, learner("l2", "2@example.com", "M", "2", true))
	if rep := v.sync(t); rep.Failed() {
		t.Fatalf("%s %+v", rep.Summary(), rep.Outcomes)
	}
	var goneA string
	for a, b := range v.links(t) {
		if b == "l2" {
			goneA = a
		}
	}
	v.hr.Delete(syncengine.Users, goneA)
	v.hr.Put(syncengine.Users, person("a-byhand", "2@example.com", "M", "2", true))
	rep := v.sync(t)
	t.Logf("run 2: %s; links %v", rep.Summary(), v.links(t))
	// l1 is renamed; its manager must stay a-byhand.
	l1.Fields["last_name"] = "Renamed"
	v.lms.Put(syncengine.Users, l1)
	for run := 3; run <= 4; run++ {
		p := v.plan(t)
		rep = v.sync(t)
		h1 := emails2(v.hr, "1@example.com")
		if rep.Failed() || len(h1.Refs["manager"]) != 1 || h1.Refs["manager"][0].ID != "a-byhand" {
			t.Errorf("run %d: hr e1 manager %v, want [a-byhand]; links %v; %s\nplan:\n%s\n%+v", run, h1.Refs["manager"], v.links(t), rep.Summary(), p, rep.Outcomes)
		}
	}
}
