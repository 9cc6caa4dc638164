package syncengine_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// The manager's account was deleted (stale link; the plan creates it
// again). Applying only the report e1 (Plan.Only), without the manager's
// create, e1's manager does not translate through the stale link to the
// deleted account: it waits for the manager's create.
func TestOnlySubsetSkipsStaleLink(t *testing.T) {
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
		l1 := emails(t, v.lms)["1@example.com"]
		l1.Refs = nil // the target cleared the reference to the deleted account
		v.lms.Put(syncengine.Users, l1)
		e1.Fields["lastName"] = "Renamed"
		v.hr.Put(syncengine.Users, e1)
		v.lms.ResetCalls()
		p := v.plan(t)
		sub, err := p.Select("e1")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.engine(t).Apply(context.Background(), sub)
		if err != nil {
			t.Fatal(err)
		}
		var wrote []syncenginetest.Call
		for _, c := range v.lms.Calls() {
			if c.Op == syncenginetest.OpWrite || c.Op == syncenginetest.OpWriteRefs {
				wrote = append(wrote, c)
			}
		}
		got := emails(t, v.lms)["1@example.com"]
		if rep.Failed() || got.Fields["last_name"] != "Renamed" {
			t.Errorf("cheap %v: e1 last_name %v refs %v; %s\nplan:\n%s\noutcomes %+v\ncalls %+v", cheap, got.Fields["last_name"], got.Refs,
				rep.Summary(), sub, rep.Outcomes, wrote)
		}
	}
}
