package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// Records a bulk job made whose outcome was unknown are adopted after the
// look-up with the managers the job gave them: no reference is written
// again.
func TestBulkUnknownAdoptedKeepsItsRefs(t *testing.T) {
	for _, how := range []string{"whole call", "each row"} {
		v := newEnv(nil, []syncenginetest.Option{syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability)})
		v.cfg.Collections[0].AToB.Map = managerMap
		v.cfg.BulkMin = 20
		company(v, 41)
		if how == "whole call" {
			v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpBulkCreate, Times: 1, Kind: syncenginetest.AppliedUnknown})
		} else {
			v.cfg.B = unknownBulk{v.lms}
		}
		rep := v.sync(t)
		if rep.Failed() {
			t.Fatalf("%s: %s; calls %v", how, rep.Summary(), ops(v.lms))
		}
		checkManagers(t, v, 41)
		if n := ops(v.lms)[syncenginetest.OpWriteRefs]; n != 0 {
			t.Errorf("%s: %d write-refs after the bulk job carried every manager (adopted records' refs written again)", how, n)
		}
		v.lms.ResetCalls()
		if p := v.plan(t); p.HasChanges() {
			t.Errorf("not settled:\n%s", p)
		}
	}
}
