package syncengine_test

import (
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// A -> B: e2's account was deleted and made again by hand (byhand, same
// email). The plan matches e2 to byhand again (a Link change); the Store
// still holds the stale link e2 -> lms-1, which the plan saw and replaces:
// a saved (not fresh) plan applies that link, not refused as stale.
func TestSavedPlanRematchAToB(t *testing.T) {
	v, _, _ := deletedManager(t, false, false)
	v.lms.Put(syncengine.Users, learner("byhand", "2@example.com", "M", "2", true))
	for run := 1; run <= 2; run++ {
		p := v.plan(t)
		rep := applySavedPlan(t, v, p)
		if got := v.links(t)["e2"]; rep.Failed() || got != "byhand" {
			t.Errorf("saved plan %d: e2 linked to %q, want byhand; %s\nplan:\n%s\n%+v", run, got, rep.Summary(), p, rep.Outcomes)
		}
	}
}

// B -> A: the manager l2's HR record was deleted and made again by hand.
// The plan's Link change a-byhand <-> l2 names the stale link it saw
// (Unlink hr-1, UnlinkB l2), so a saved plan applies it: the Store's link
// of l2 to hr-1 is that stale link, not a newer one.
func TestSavedPlanRematchBToA(t *testing.T) {
	v, _, goneA := btoaManagerRemade(t)
	for run := 1; run <= 2; run++ {
		p := v.plan(t)
		rep := applySavedPlan(t, v, p)
		ls := v.links(t)
		if rep.Failed() || ls["a-byhand"] != "l2" || ls[goneA] != "" {
			t.Errorf("saved plan %d: links %v, want a-byhand->l2 only; %s\nplan:\n%s\n%+v", run, ls, rep.Summary(), p, rep.Outcomes)
		}
	}
}
