package syncengine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// With Rules.KeepUnmanagedRefs, a user's teams written to the target keep
// the target's teams that the run does not manage (a team of the target's
// own, a team whose source team is out of scope this run), and a rerun
// writes nothing; without it, the source's teams replace them.
func TestKeepUnmanagedRefs(t *testing.T) {
	for _, keep := range []bool{false, true} {
		hidden := syncenginetest.WithScope(func(c syncengine.Collection, r syncengine.Record) bool { return r.ID != "t2" })
		v := newEnv([]syncenginetest.Option{hidden}, nil)
		users := rules(hrToLMS, allowAll, byEmail...)
		users.KeepUnmanagedRefs = keep
		v.cfg.Collections = []syncengine.CollectionRules{
			{Collection: syncengine.Teams, AToB: rules(nil, allowAll, syncengine.MatchKey{Field: "name"})},
			{Collection: syncengine.Users, AToB: users},
		}
		v.hr.Put(syncengine.Teams, syncengine.Record{ID: "t1", Active: true, Fields: map[string]any{"name": "Sales"}})
		v.hr.Put(syncengine.Teams, syncengine.Record{ID: "t2", Active: true, Fields: map[string]any{"name": "Paused"}})
		for _, id := range []string{"sales", "paused", "own"} {
			name := map[string]string{"sales": "Sales", "paused": "Paused", "own": "Own"}[id]
			v.lms.Put(syncengine.Teams, syncengine.Record{ID: id, Active: true, Fields: map[string]any{"name": name}})
		}
		ana := person("e1", "ana@example.com", "Ana", "Lima", true)
		ana.Refs = map[string][]syncengine.Ref{"teams": {teamRef("t1")}}
		v.hr.Put(syncengine.Users, ana)
		target := syncengine.Record{ID: "u1", Active: true, Fields: map[string]any{"email": "ana@example.com", "first_name": "Ana", "last_name": "Lima"},
			Refs: map[string][]syncengine.Ref{"teams": {teamRef("own"), teamRef("paused")}}}
		v.lms.Put(syncengine.Users, target)
		if rep := v.sync(t); rep.Failed() {
			t.Fatalf("keep %v: sync failed: %+v", keep, rep.Outcomes)
		}
		got, _ := v.lms.Record(syncengine.Users, "u1")
		want := []syncengine.Ref{teamRef("sales")}
		if keep {
			want = []syncengine.Ref{teamRef("own"), teamRef("paused"), teamRef("sales")}
		}
		if diff := cmp.Diff(want, got.Refs["teams"], cmpopts.SortSlices(func(a, b syncengine.Ref) bool { return a.ID < b.ID })); diff != "" {
			t.Errorf("keep %v: teams (-want +got):\n%s", keep, diff)
		}
		v.lms.ResetCalls()
		v.sync(t)
		if n := v.lms.Writes(); n != 0 {
			t.Errorf("keep %v: the rerun wrote %d times: %+v", keep, n, v.lms.Calls())
		}
		// Ana leaves Sales: the managed team goes, the others stay.
		ana.Refs = map[string][]syncengine.Ref{"teams": {}}
		v.hr.Put(syncengine.Users, ana)
		v.sync(t)
		got, _ = v.lms.Record(syncengine.Users, "u1")
		want = []syncengine.Ref{}
		if keep {
			want = []syncengine.Ref{teamRef("own"), teamRef("paused")}
		}
		if diff := cmp.Diff(want, got.Refs["teams"], cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b syncengine.Ref) bool { return a.ID < b.ID })); diff != "" {
			t.Errorf("keep %v: teams after leaving Sales (-want +got):\n%s", keep, diff)
		}
	}
}
