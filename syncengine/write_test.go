package syncengine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// managerMap maps people and their manager (a "manager" source field
// holding the manager's id) to the target.
var managerMap = fieldMap{
	rename:   map[string]string{"email": "email", "firstName": "first_name", "lastName": "last_name", "title": "job_title"},
	required: []string{"email"},
	refs:     map[string]string{"manager": "manager"},
}

// cheap is an env whose target saves calls: one write per record,
// creates that carry references, bulk creates.
func cheap(t *testing.T) *env {
	v := newEnv(nil, []syncenginetest.Option{
		syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability),
		syncenginetest.WithUnique(syncengine.Users, "email"),
	})
	v.cfg.Collections[0].AToB.Map = managerMap
	return v
}

// company puts n people in the source: person 0 manages everyone else,
// in managers of 10 (p1, p11, ...), who report to p0.
func company(v *env, n int) {
	for i := range n {
		p := person(fmt.Sprintf("p%d", i), fmt.Sprintf("p%d@example.com", i), "P", fmt.Sprint(i), true)
		switch {
		case i == 0:
		case i%10 == 1:
			p.Fields["manager"] = "p0"
		default:
			p.Fields["manager"] = fmt.Sprintf("p%d", i-(i-1)%10)
		}
		v.hr.Put(syncengine.Users, p)
	}
}

func ops(k *syncenginetest.Connector) map[syncenginetest.Op]int {
	out := map[syncenginetest.Op]int{}
	for _, c := range k.Calls() {
		out[c.Op]++
	}
	return out
}

// A first sync creates every record in reference order, each create
// carrying its manager: one call per record and no references pass.
func TestFirstSyncOneCallPerRecord(t *testing.T) {
	v := cheap(t)
	v.cfg.BulkMin = 1000 // per record here; bulk below
	company(v, 31)
	rep := v.sync(t)
	if rep.Counts[syncengine.ResultCreated] != 31 {
		t.Fatalf("counts = %v\n%+v", rep.Counts, rep.Outcomes)
	}
	if diff := cmp.Diff(map[syncenginetest.Op]int{syncenginetest.OpList: 1, syncenginetest.OpCreate: 31}, ops(v.lms)); diff != "" {
		t.Errorf("target calls (-want +got):\n%s", diff)
	}
	checkManagers(t, v, 31)
	v.lms.ResetCalls()
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("second plan has changes:\n%s", p)
	}
}

// checkManagers checks every target record's manager ref against the source.
func checkManagers(t *testing.T, v *env, n int) {
	t.Helper()
	byEmail := emails(t, v.lms)
	for i := 1; i < n; i++ {
		src, _ := v.hr.Get(context.Background(), syncengine.Users, fmt.Sprintf("p%d", i))
		mgr := src.Fields["manager"].(string)
		want := byEmail[mgr+"@example.com"].ID
		got := byEmail[fmt.Sprintf("p%d@example.com", i)].Refs["manager"]
		if len(got) != 1 || got[0].ID != want {
			t.Errorf("p%d's manager = %v, want %s", i, got, want)
		}
	}
}

// Many creates of one level go out in one bulk call; a small level one by one.
func TestFirstSyncInBulk(t *testing.T) {
	v := cheap(t)
	v.cfg.BulkMin = 20
	company(v, 201) // level 0: p0; level 1: 20 managers; level 2: 180 people
	rep := v.sync(t)
	if rep.Counts[syncengine.ResultCreated] != 201 {
		t.Fatalf("counts = %v", rep.Counts)
	}
	want := map[syncenginetest.Op]int{syncenginetest.OpList: 1, syncenginetest.OpCreate: 1, syncenginetest.OpBulkCreate: 2}
	if diff := cmp.Diff(want, ops(v.lms)); diff != "" {
		t.Errorf("target calls (-want +got):\n%s", diff)
	}
	checkManagers(t, v, 201)
}

// A bulk call that fails as a whole after the target applied it (the
// answer was lost) makes the engine create one at a time; the records the
// job made are found by match key and adopted: no duplicate.
func TestBulkLostAnswerMakesNoDuplicate(t *testing.T) {
	v := cheap(t)
	v.cfg.BulkMin = 20
	company(v, 41)
	v.lms.AddFault(syncenginetest.Fault{Op: syncenginetest.OpBulkCreate, Times: 1, Kind: syncenginetest.AppliedUnknown})
	rep := v.sync(t)
	if rep.Counts[syncengine.ResultCreated] != 41 {
		t.Fatalf("counts = %v\n%+v", rep.Counts, rep.Outcomes)
	}
	if n := len(emails(t, v.lms)); n != 41 { // emails fails on duplicates
		t.Errorf("%d target records, want 41", n)
	}
	if got := len(v.links(t)); got != 41 {
		t.Errorf("%d links, want 41", got)
	}
	checkManagers(t, v, 41)
}

// unknownBulk is a target whose bulk creates all succeed but whose answer
// says each row's outcome is unknown (a job whose polling failed).
type unknownBulk struct{ *syncenginetest.Connector }

func (k unknownBulk) CreateBulk(ctx context.Context, c syncengine.Collection, recs []syncengine.Record) ([]syncengine.BulkResult, error) {
	out, err := k.Connector.CreateBulk(ctx, c, recs)
	for i := range out {
		out[i] = syncengine.BulkResult{Err: fmt.Errorf("job not followed: %w", syncengine.ErrOutcomeUnknown)}
	}
	return out, err
}

// On a target with no unique key, bulk creates whose outcome is unknown —
// the whole call's or each row's — are looked up by match key before
// anything is created again: the records the job made are adopted with
// the references the job set, none is made twice.
func TestBulkUnknownOutcomeIsLookedUpFirst(t *testing.T) {
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
		if rep.Counts[syncengine.ResultCreated] != 41 || rep.Failed() {
			t.Fatalf("%s: %s\n%+v", how, rep.Summary(), rep.Outcomes)
		}
		if n := len(emails(t, v.lms)); n != 41 { // emails fails on duplicates
			t.Errorf("%s: %d target records, want 41", how, n)
		}
		if got := len(v.links(t)); got != 41 {
			t.Errorf("%s: %d links, want 41", how, got)
		}
		// Adopted with the managers the job gave them: none written again.
		checkManagers(t, v, 41)
		if n := ops(v.lms)[syncenginetest.OpWriteRefs]; n != 0 {
			t.Errorf("%s: %d reference writes after the bulk job set every manager", how, n)
		}
		v.lms.ResetCalls()
		if p := v.plan(t); p.HasChanges() {
			t.Errorf("%s: not settled:\n%s", how, p)
		}
	}
}

// One person with a new title and a new manager: one write, on the
// record the plan read (no read before it).
func TestChangedRecordIsOneWrite(t *testing.T) {
	v := cheap(t)
	company(v, 21)
	v.sync(t)
	p := person("p5", "p5@example.com", "P", "5", true)
	p.Fields["title"], p.Fields["manager"] = "Lead", "p11"
	v.hr.Put(syncengine.Users, p)
	v.lms.ResetCalls()
	v.sync(t)
	calls := v.lms.Calls()
	var writes []syncenginetest.Call
	for _, c := range calls {
		if c.Op != syncenginetest.OpList {
			writes = append(writes, c)
		}
	}
	if len(writes) != 1 || writes[0].Op != syncenginetest.OpWrite || !writes[0].Base {
		t.Fatalf("calls besides the listing = %+v, want one write with the plan's record as base", writes)
	}
	if w := writes[0]; w.Fields["job_title"] != "Lead" || len(w.Refs["manager"]) != 1 {
		t.Errorf("write = %+v, want the title and the manager", w)
	}
}

// Managers that manage each other (a cycle) cannot be ordered: both are
// created, and the references pass sets their managers.
func TestManagerCycle(t *testing.T) {
	v := cheap(t)
	a := person("a", "a@example.com", "A", "A", true)
	b := person("b", "b@example.com", "B", "B", true)
	a.Fields["manager"], b.Fields["manager"] = "b", "a"
	v.hr.Put(syncengine.Users, a)
	v.hr.Put(syncengine.Users, b)
	// The plan says which reference waits: one of the two is created
	// without its manager, written once both exist.
	plan := v.plan(t)
	if n := strings.Count(plan.String(), "(written once both are created: a cycle)"); n != 1 {
		t.Errorf("plan marks %d references as closing the cycle, want 1:\n%s", n, plan)
	}
	v.sync(t)
	if w := v.lms.Writes(); w != 3 {
		t.Errorf("%d writes, want 2 creates and 1 for the reference that closes the cycle: %+v", w, v.lms.Calls())
	}
	byEmail := emails(t, v.lms)
	if m := byEmail["a@example.com"].Refs["manager"]; len(m) != 1 || m[0].ID != byEmail["b@example.com"].ID {
		t.Errorf("a's manager = %v", m)
	}
	if m := byEmail["b@example.com"].Refs["manager"]; len(m) != 1 || m[0].ID != byEmail["a@example.com"].ID {
		t.Errorf("b's manager = %v", m)
	}
	if p := v.plan(t); p.HasChanges() {
		t.Errorf("plan after the sync has changes:\n%s", p)
	}
}
