package syncengine_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// A saved plan applied later is checked against the target first: a
// record an admin changed since is refused, naming what changed, and the
// rest is applied. Terraform refuses a stale saved plan the same way.
func TestStalePlanIsRefusedPerRecord(t *testing.T) {
	for _, how := range []string{"from JSON", "too old"} {
		t.Run(how, func(t *testing.T) {
			v := newEnv(nil, nil)
			now := clock
			v.cfg.Now = func() time.Time { return now }
			for _, id := range []string{"1", "2"} {
				v.hr.Put(syncengine.Users, person("e"+id, id+"@example.com", "N", id, true))
				v.lms.Put(syncengine.Users, learner("l"+id, id+"@example.com", "Old", id, true))
				v.link(t, "e"+id, "l"+id)
			}
			eng := v.engine(t)
			p, err := eng.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if p.Summary().Update != 2 {
				t.Fatalf("plan:\n%s", p)
			}
			switch how {
			case "from JSON": // saved with -plan-out, applied by another process
				b, _ := json.Marshal(p)
				p = new(syncengine.Plan)
				if err := json.Unmarshal(b, p); err != nil {
					t.Fatal(err)
				}
				eng = v.engine(t)
			case "too old":
				now = now.Add(time.Hour)
			}
			// An admin renames l2 after the plan was reviewed.
			v.lms.Put(syncengine.Users, learner("l2", "2@example.com", "Admin", "2", true))
			rep, err := eng.Apply(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			o1, o2 := rep.Outcomes[0], rep.Outcomes[1]
			if o1.Result != syncengine.ResultUpdated {
				t.Errorf("e1: %+v, want updated", o1)
			}
			if o2.Result != syncengine.ResultFailed || !strings.Contains(o2.Detail, `stale: first_name was "Old", is now "Admin"`) {
				t.Errorf("e2: %+v, want refused as stale, naming the field", o2)
			}
			if got := emails(t, v.lms)["2@example.com"].Fields["first_name"]; got != "Admin" {
				t.Errorf("the admin's change was overwritten: first_name = %v", got)
			}
		})
	}
}

// A plan the engine has just made is applied without reading the target
// again: the plan's listing already did.
func TestFreshPlanIsNotReadAgain(t *testing.T) {
	v := newEnv(nil, nil)
	linkOne(t, v)
	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v.lms.ResetCalls()
	if _, err := eng.Apply(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if n := v.lms.Reads(); n != 0 {
		t.Errorf("applying a fresh plan made %d reads: %+v", n, v.lms.Calls())
	}
}

// A saved plan applied a second time finds its work done: already applied,
// not stale, and nothing written.
func TestSavedPlanAppliedTwice(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", true))
	v.lms.Put(syncengine.Users, learner("l1", "1@example.com", "Old", "1", true))
	v.link(t, "e1", "l1")
	p, err := v.engine(t).Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	for run := 1; run <= 2; run++ {
		var saved syncengine.Plan
		if err := json.Unmarshal(b, &saved); err != nil {
			t.Fatal(err)
		}
		v.lms.ResetCalls()
		rep, err := v.engine(t).Apply(context.Background(), &saved)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]syncengine.Result{1: syncengine.ResultUpdated, 2: syncengine.ResultAlreadyApplied}[run]
		if o := rep.Outcomes[0]; o.Result != want {
			t.Errorf("run %d: %+v, want %s", run, o, want)
		}
		if run == 2 && v.lms.Writes() != 0 {
			t.Errorf("the second apply wrote %d times", v.lms.Writes())
		}
	}
}

// A plan for another pair, or of an unknown format, is refused whole.
func TestApplyRefusesWrongPlan(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", true))
	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	other, future := *p, *p
	other.Pair, future.Version = "hr<->elsewhere", syncengine.PlanVersion+1
	for _, bad := range []*syncengine.Plan{&other, &future} {
		if _, err := eng.Apply(context.Background(), bad); !errors.Is(err, syncengine.ErrWrongPlan) {
			t.Errorf("Apply(%s v%d) = %v, want ErrWrongPlan", bad.Pair, bad.Version, err)
		}
	}
	if v.lms.Writes() != 0 {
		t.Errorf("a refused plan wrote %d times", v.lms.Writes())
	}
}

// A preview words every row as a verb: a skip is "skip", not "skipped".
func TestPreviewSaysVerbs(t *testing.T) {
	v := newEnv(nil, nil)
	v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", false)) // inactive: skipped
	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := eng.Preview(p).Outcomes[0].Result; got != syncengine.ResultSkip {
		t.Errorf("preview result = %q, want %q", got, syncengine.ResultSkip)
	}
}

// An update that points at a record created in the run comes after the
// creates: one that goes out later than FreshFor after the plan read its
// record is written without that read as its base, so the connector reads
// the record again.
func TestLateUpdateHasNoBase(t *testing.T) {
	for _, late := range []bool{false, true} {
		now := clock
		v := newEnv(nil, nil)
		v.cfg.Now = func() time.Time { return now }
		v.cfg.Concurrency = 1
		v.lms.SetCapabilities(syncengine.Users, syncenginetest.EveryCapability)
		v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", true))
		v.lms.Put(syncengine.Users, learner("l1", "1@example.com", "Old", "1", true))
		v.link(t, "e1", "l1")
		e1 := person("e1", "1@example.com", "New", "1", true)
		e1.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
		v.hr.Put(syncengine.Users, e1)
		v.hr.Put(syncengine.Users, person("e2", "2@example.com", "New", "2", true))
		eng := v.engine(t)
		p, err := eng.Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		v.lms.ResetCalls()
		v.lms.OnWrite(func(_ int, c syncenginetest.Call) error {
			if c.Op == syncenginetest.OpCreate && late {
				now = now.Add(time.Hour) // the creates took an hour
			}
			return nil
		})
		if _, err := eng.Apply(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		var ops []string
		var bases []bool
		for _, c := range v.lms.Calls() {
			ops = append(ops, string(c.Op))
			if c.Op == syncenginetest.OpWrite {
				bases = append(bases, c.Base)
			}
		}
		if want := []string{"create", "write"}; !slices.Equal(ops, want) || len(bases) != 1 || bases[0] == late {
			t.Errorf("late %v: calls %v, the update's Base = %v; want %v, Base %v", late, ops, bases, want, !late)
		}
	}
}

// linkOne links e1 and l1, whose last names differ.
func linkOne(t *testing.T, v *env) {
	v.hr.Put(syncengine.Users, person("e1", "1@example.com", "N", "1", true))
	v.lms.Put(syncengine.Users, learner("l1", "1@example.com", "Old", "1", true))
	v.link(t, "e1", "l1")
}

// slowList is a connector whose listing takes d on the test clock.
type slowList struct {
	*syncenginetest.Connector
	advance func()
}

func (k slowList) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		for r, err := range k.Connector.List(ctx, c) {
			if !yield(r, err) {
				return
			}
		}
		k.advance()
	}
}

// A plan's reads are as old as the listing's start: with a listing that
// took ten minutes, a plan applied six minutes after it is older than
// FreshFor (fifteen minutes), so it is checked against the target (one
// read) and its update goes out on that read.
func TestPlanFreshnessCountsFromTheListing(t *testing.T) {
	for _, wait := range []time.Duration{time.Minute, 6 * time.Minute} {
		now := clock
		v := newEnv(nil, nil)
		v.cfg.Now = func() time.Time { return now }
		v.cfg.B = slowList{v.lms, func() { now = now.Add(10 * time.Minute) }}
		v.lms.SetCapabilities(syncengine.Users, syncenginetest.EveryCapability)
		linkOne(t, v)
		eng := v.engine(t)
		p, err := eng.Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(wait)
		v.lms.ResetCalls()
		if _, err := eng.Apply(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		stale := wait > 5*time.Minute
		var bases, gets int
		for _, c := range v.lms.Calls() {
			switch c.Op {
			case syncenginetest.OpWrite:
				if c.Base {
					bases++
				}
			case syncenginetest.OpGet, syncenginetest.OpFindMany, syncenginetest.OpList:
				gets++
			}
		}
		want := 0
		if stale {
			want = 1
		}
		if bases != 1 || gets != want {
			t.Errorf("applied %v after a 10-minute listing: %d writes with a Base, %d reads; want 1 and %d", wait, bases, gets, want)
		}
	}
}
