package syncengine_test

import (
	"encoding/json"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// A saved plan matches m to the account lm (same email, nothing to write:
// a link-only change). Before it is applied, HR fixes m's email (lm is
// a7's), and a scheduled sync links a7 to lm and creates m's own account.
// The saved plan, checked when applied, refuses the link as stale: m stays
// linked to its own account, lm to a7.
func TestSavedPlanLinkIsChecked(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("m", "m@example.com", "M", "Mid", true))
	v.lms.Put(syncengine.Users, learner("lm", "m@example.com", "M", "Mid", true))
	p := v.plan(t)
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	// HR fixes the email: lm is a7's account.
	v.hr.Put(syncengine.Users, person("m", "m2@example.com", "M", "Mid", true))
	v.hr.Put(syncengine.Users, person("a7", "m@example.com", "M", "Mid", true))
	if rep := v.sync(t); rep.Failed() {
		t.Fatalf("%s", rep.Summary())
	}
	before := v.links(t)
	rep := applySaved(t, v, raw)
	after := v.links(t)
	if after["m"] != before["m"] {
		t.Errorf("the saved plan re-linked m: %v -> %v (a7 -> %s); %+v", before, after, after["a7"], rep.Outcomes)
	}
	for _, ch := range v.plan(t).Changes {
		if ch.Action == syncengine.ActionError {
			t.Errorf("next plan: %s %s/%s: %s", ch.Action, ch.AID, ch.BID, ch.Error)
		}
	}
}
