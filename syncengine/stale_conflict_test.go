package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// The manager's account was deleted and two accounts with the manager's
// email now exist (made by hand): the manager is in a matching conflict,
// and its stale link translates nothing, so the report's write never
// names the deleted account.
func TestStaleLinkOfConflictedManager(t *testing.T) {
	for _, cheap := range []bool{false, true} {
		v := newEnv(nil, nil)
		if cheap {
			v.lms.SetCapabilities(syncengine.Users, syncenginetest.EveryCapability)
		}
		e1 := person("e1", "1@example.com", "N", "1", true)
		e1.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
		v.hr.Put(syncengine.Users, e1)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
		v.sync(t)
		gone := v.links(t)["e2"]
		v.lms.Delete(syncengine.Users, gone)
		v.lms.Put(syncengine.Users, learner("dup1", "2@example.com", "M", "2", true))
		v.lms.Put(syncengine.Users, learner("dup2", "2@example.com", "M", "2", true))
		l1 := emails2(v.lms, "1@example.com")
		l1.Refs = nil // the target cleared the reference to the deleted account
		v.lms.Put(syncengine.Users, l1)
		e1.Fields["lastName"] = "Renamed"
		v.hr.Put(syncengine.Users, e1)
		v.lms.ResetCalls()
		p := v.plan(t)
		rep := v.sync(t)
		got := emails2(v.lms, "1@example.com")
		for _, c := range v.lms.Calls() {
			if (c.Op == syncenginetest.OpWrite || c.Op == syncenginetest.OpWriteRefs) && len(c.Refs["manager"]) > 0 && c.Refs["manager"][0].ID == gone {
				t.Errorf("cheap %v: a write names the deleted account %s: %+v", cheap, gone, c)
			}
		}
		if got.Fields["last_name"] != "Renamed" {
			t.Errorf("cheap %v: e1 last_name %v; %s\nplan:\n%s\noutcomes %+v", cheap, got.Fields["last_name"], rep.Summary(), p, rep.Outcomes)
		}
	}
}

func emails2(k *syncenginetest.Connector, email string) syncengine.Record {
	for _, r := range k.Records(syncengine.Users) {
		if r.Fields["email"] == email {
			return r
		}
	}
	return syncengine.Record{}
}
