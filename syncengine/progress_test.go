package syncengine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

type phaseStart struct {
	Phase syncengine.Phase
	Steps int
}

// Progress covers every write of a run: the references pass (managers,
// written after every record exists) is announced by OnPhase and counted
// in OnProgress's total, which done reaches at the end.
func TestProgressCoversReferences(t *testing.T) {
	v := newEnv(nil, nil)
	users := hrToLMS
	users.refs = map[string]string{"managerId": "manager"}
	v.cfg.Collections[0].AToB = rules(users, allowAll, byEmail...)
	boss := person("e0", "boss@example.com", "B", "Boss", true)
	boss.Fields["managerId"] = ""
	v.hr.Put(syncengine.Users, boss)
	for _, id := range []string{"e1", "e2", "e3"} {
		r := person(id, id+"@example.com", "F", id, true)
		r.Fields["managerId"] = "e0"
		v.hr.Put(syncengine.Users, r)
	}
	var phases []phaseStart
	var dones []int
	total := -1
	refSteps := 0
	v.cfg.OnPhase = func(p syncengine.Phase, n int) { phases = append(phases, phaseStart{p, n}) }
	v.cfg.OnProgress = func(done, tot int, o syncengine.Outcome) {
		dones = append(dones, done)
		if total != -1 && tot != total {
			t.Errorf("total changed from %d to %d", total, tot)
		}
		total = tot
		if phases[len(phases)-1].Phase == syncengine.PhaseReferences {
			refSteps++
		}
	}
	v.sync(t)
	// Every user gets a manager role write (e0's is empty, so it is
	// planned but not written); each is a step of the references pass.
	wantPhases := []phaseStart{{syncengine.PhaseRecords, 4}, {syncengine.PhaseReferences, 3}}
	if diff := cmp.Diff(wantPhases, phases); diff != "" {
		t.Errorf("phases (-want +got):\n%s", diff)
	}
	if total != 7 || len(dones) != 7 || dones[len(dones)-1] != 7 || refSteps != 3 {
		t.Errorf("progress: total %d, calls %v, reference steps %d; want 7 steps ending at 7, 3 of references", total, dones, refSteps)
	}
}
