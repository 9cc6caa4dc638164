package syncengine_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestMergeFuncs(t *testing.T) {
	max, rank := syncengine.MergeMax(), syncengine.MergeRank("not_attempted", "incomplete", "completed")
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name             string
		m                syncengine.Merge
		want, have, keep any
	}{
		{"higher percent wins", max, 80.0, 50, 80.0},
		{"lower percent loses", max, 20, 50.0, 50.0},
		{"numeric text", max, "9", "10", "10"},
		{"empty loses", max, nil, 30, 30},
		{"empty target takes the value", max, 30, "", 30},
		{"later date", max, day(3), day(2), day(3)},
		{"completed beats progress", rank, "completed", "incomplete", "completed"},
		{"progress does not undo completion", rank, "Incomplete", "Completed", "Completed"},
		{"unknown loses", rank, "failed?", "not_attempted", "not_attempted"},
	}
	for _, tc := range tests {
		if got := tc.m(tc.want, tc.have); !cmp.Equal(got, tc.keep) {
			t.Errorf("%s: merge(%v, %v) = %v, want %v", tc.name, tc.want, tc.have, got, tc.keep)
		}
	}
}

// Progress both sides hold is merged field by field: the further one
// wins whichever side changed, in two-way and one-way alike, with no
// conflict and a plan that settles.
func TestMergeKeepsTheFurtherProgress(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.TwoWay
	m := mustMap(t, `{"name": "p", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "percent", "source": "percent"},
		{"target": "status", "source": "status"}]}`)
	merge := map[string]syncengine.Merge{"percent": syncengine.MergeMax(),
		"status": syncengine.MergeRank("not_attempted", "incomplete", "completed")}
	r := rules(m, allowAll, byEmail...)
	r.Merge = merge
	v.cfg.Collections[0].AToB, v.cfg.Collections[0].BToA = r, r
	put := func(k *syncenginetest.Connector, id string, pct float64, status string) {
		k.Put(syncengine.Users, syncengine.Record{ID: id, Active: true,
			Fields: map[string]any{"email": "a@example.com", "percent": pct, "status": status}})
	}
	state := func() [2]string {
		a, b := emails(t, v.hr)["a@example.com"], emails(t, v.lms)["a@example.com"]
		return [2]string{syncengine.Canonical(a.Fields["percent"]) + " " + syncengine.Canonical(a.Fields["status"]),
			syncengine.Canonical(b.Fields["percent"]) + " " + syncengine.Canonical(b.Fields["status"])}
	}
	put(v.hr, "e1", 50, "incomplete")
	put(v.lms, "l1", 80, "incomplete") // never synced and different: no conflict, the further wins
	p := v.plan(t)
	for _, ch := range p.Changes {
		if len(ch.Conflicts) > 0 {
			t.Errorf("merged fields reported as conflicts:\n%s", p)
		}
	}
	v.sync(t)
	if got := state(); got != [2]string{"80 incomplete", "80 incomplete"} {
		t.Errorf("after the first sync: %v", got)
	}
	put(v.hr, "e1", 60, "completed") // HR: completed at a lower percent
	v.sync(t)
	if got := state(); got != [2]string{"80 completed", "80 completed"} {
		t.Errorf("after the completion: %v", got)
	}
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("the pair does not settle:\n%s", p)
	}
	// One way: a target further on keeps its progress.
	v.cfg.Direction = syncengine.AToB
	v.cfg.Collections[0].BToA = syncengine.Rules{}
	put(v.hr, "e1", 10, "incomplete")
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("one-way plan would move progress back:\n%s", p)
	}
}
