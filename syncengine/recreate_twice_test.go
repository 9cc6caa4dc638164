package syncengine_test

import (
	"encoding/json"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// A saved plan that recreates a person whose account was deleted (a stale
// link, Change.Unlink) is applied, then applied again (rerun after a cut,
// or by mistake): the second apply finds the link the first stored, no
// longer the stale one, so it drops nothing and creates nothing.
func TestRecreatePlanAppliedTwice(t *testing.T) {
	for _, unique := range []bool{false, true} {
		var opts []syncenginetest.Option
		if unique {
			opts = append(opts, syncenginetest.WithUnique(syncengine.Users, "email"))
		}
		v := newEnv(nil, opts)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
		v.sync(t)
		v.lms.Delete(syncengine.Users, v.links(t)["e2"]) // deleted in the LMS
		p := v.plan(t)
		raw, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		applySaved(t, v, raw)
		first := v.links(t)["e2"]
		rep := applySaved(t, v, raw)
		n := 0
		for _, r := range v.lms.Records(syncengine.Users) {
			if r.Fields["email"] == "2@example.com" {
				n++
			}
		}
		if n != 1 || v.links(t)["e2"] != first {
			t.Errorf("unique %v: %d accounts for e2 after the plan was applied twice; link %s then %s\n%s\n%+v",
				unique, n, first, v.links(t)["e2"], p, rep.Outcomes)
		}
	}
}
