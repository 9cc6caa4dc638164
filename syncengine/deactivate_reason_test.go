package syncengine_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

// reasonsEnv links four people, then makes e1 inactive, moves e2 out of
// the direction's scope, deletes e3 and leaves e4 alone.
func reasonsEnv(t *testing.T) *env {
	t.Helper()
	v := newEnv(nil, nil)
	v.cfg.OutOfScope = syncengine.DeactivateOutOfScope
	for _, id := range []string{"e1", "e2", "e3", "e4"} {
		v.hr.Put(syncengine.Users, person(id, id+"@example.com", "F"+id, "L"+id, true))
	}
	v.sync(t)
	v.hr.Put(syncengine.Users, person("e1", "e1@example.com", "Fe1", "Le1", false))
	v.cfg.Collections[0].AToB.Scope = func(r syncengine.Record) bool { return r.ID != "e2" }
	v.hr.Delete(syncengine.Users, "e3")
	return v
}

func TestDeactivationReasons(t *testing.T) {
	v := reasonsEnv(t)
	links := v.links(t)
	deact := func(a string, why syncengine.Reason) summary {
		return summary{AID: a, BID: links[a], Action: syncengine.ActionDeactivate, Reason: why, Fields: []string{"b.@active=false"}}
	}
	want := []summary{
		deact("e1", syncengine.ReasonInactive),
		deact("e2", syncengine.ReasonLeftScope),
		deact("e3", syncengine.ReasonSourceGone), // its A id comes from the link
		{AID: "e4", BID: links["e4"], Action: syncengine.ActionSkip, Reason: syncengine.ReasonUnchanged},
	}
	p := v.plan(t)
	got := summarize(p)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("plan (-want +got):\n%s\n%s", diff, p)
	}
	for _, s := range []string{"(inactive in source)", "(source left scope)", "(source record gone)"} {
		if !strings.Contains(p.String(), s) {
			t.Errorf("plan text lacks %q:\n%s", s, p)
		}
	}

	rep, err := v.engine(t).Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]syncengine.Reason{}
	for _, o := range rep.Outcomes {
		if o.Action == syncengine.ActionDeactivate && o.Status == syncengine.StatusApplied {
			reasons[o.BID] = o.Reason
		}
	}
	wantReasons := map[string]syncengine.Reason{links["e1"]: syncengine.ReasonInactive,
		links["e2"]: syncengine.ReasonLeftScope, links["e3"]: syncengine.ReasonSourceGone}
	if diff := cmp.Diff(wantReasons, reasons); diff != "" {
		t.Errorf("report reasons (-want +got):\n%s", diff)
	}
	var csv bytes.Buffer
	if err := rep.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if row := "e2,Fe2 Le2,e2@example.com," + links["e2"] + ",deactivated,,source left scope"; !strings.Contains(csv.String(), row) {
		t.Errorf("CSV lacks %q:\n%s", row, csv.String())
	}
}

// A held-back deactivation keeps its reason, and releasing the plan
// restores it.
func TestDeactivationReasonHeldAndReleased(t *testing.T) {
	v := reasonsEnv(t)
	v.cfg.Threshold = syncengine.Threshold{MaxCount: 1}
	p := v.plan(t)
	if p.Held == nil {
		t.Fatalf("plan not held:\n%s", p)
	}
	held := map[string]syncengine.Reason{}
	for _, c := range p.Changes {
		if c.Reason == syncengine.ReasonHeldBack {
			held[c.AID] = c.HeldReason
		}
	}
	want := map[string]syncengine.Reason{"e1": syncengine.ReasonInactive, "e2": syncengine.ReasonLeftScope, "e3": syncengine.ReasonSourceGone}
	if diff := cmp.Diff(want, held); diff != "" {
		t.Errorf("held reasons (-want +got):\n%s", diff)
	}
	if s := "(held back by deactivation threshold; source record gone)"; !strings.Contains(p.String(), s) {
		t.Errorf("plan text lacks %q:\n%s", s, p)
	}
	released := map[string]syncengine.Reason{}
	for _, c := range p.AllowDeactivations().Changes {
		if c.Action == syncengine.ActionDeactivate {
			released[c.AID] = c.Reason
			if c.HeldReason != "" {
				t.Errorf("%s: released change keeps HeldReason %q", c.AID, c.HeldReason)
			}
		}
	}
	if diff := cmp.Diff(want, released); diff != "" {
		t.Errorf("released reasons (-want +got):\n%s", diff)
	}
}

// A webhook naming a deleted source record deactivates its target as gone.
func TestDeactivationReasonEventGone(t *testing.T) {
	v := reasonsEnv(t)
	rep, err := v.engine(t).SyncIDs(context.Background(), syncengine.SideA, syncengine.Users, []string{"e3", "e2"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]syncengine.Reason{}
	for _, o := range rep.Outcomes {
		got[o.AID] = o.Reason
	}
	want := map[string]syncengine.Reason{"e2": syncengine.ReasonLeftScope, "e3": syncengine.ReasonSourceGone}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event reasons (-want +got):\n%s", diff)
	}
}
