package syncengine_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// partLister is a connector whose List yields the records in part read
// together with an error wrapping ErrIncomplete, as a connector does
// when an employee's row was listed but its detail could not be read.
type partLister struct {
	*syncenginetest.Connector
	part map[string]bool
}

func (k *partLister) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		for r, err := range k.Connector.List(ctx, c) {
			if err == nil && k.part[r.ID] {
				err = fmt.Errorf("read employee %s: 503 Service Unavailable: %w", r.ID, syncengine.ErrIncomplete)
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// TestListingGoesOnPastARecordReadInPart: a record List could read only
// in part is neither written to nor from, is not taken for gone (no
// deactivation) nor for absent (no duplicate create), is reported as
// failed, and the rest of the sync goes on. The next run, reading it
// whole, writes it.
func TestListingGoesOnPastARecordReadInPart(t *testing.T) {
	v := newEnv(nil, nil)
	hr := &partLister{Connector: v.hr, part: map[string]bool{}}
	lms := &partLister{Connector: v.lms, part: map[string]bool{}}
	v.cfg.A, v.cfg.B = hr, lms

	// e1 ↔ l1 linked; e1's source is read in part and now inactive:
	// must not deactivate l1.
	v.hr.Put(syncengine.Users, person("e1", "a@example.com", "A", "One", false))
	v.lms.Put(syncengine.Users, learner("l1", "a@example.com", "A", "One", true))
	v.link(t, "e1", "l1")
	// e2 ↔ l2 linked; l2 (the target) is read in part: no update.
	v.hr.Put(syncengine.Users, person("e2", "b@example.com", "B", "Renamed", true))
	v.lms.Put(syncengine.Users, learner("l2", "b@example.com", "B", "Two", true))
	v.link(t, "e2", "l2")
	// e3 unlinked, l3 holds its email but is read in part: must not
	// create a second learner for c@.
	v.hr.Put(syncengine.Users, person("e3", "c@example.com", "C", "Three", true))
	v.lms.Put(syncengine.Users, learner("l3", "c@example.com", "C", "Three", true))
	// e4 unlinked and read in part itself: not created from a part.
	v.hr.Put(syncengine.Users, person("e4", "d@example.com", "D", "Four", true))
	// e5 is an ordinary new hire: created.
	v.hr.Put(syncengine.Users, person("e5", "e@example.com", "E", "Five", true))
	hr.part["e1"], hr.part["e4"] = true, true
	lms.part["l2"], lms.part["l3"] = true, true

	p := v.plan(t)
	var held []string
	for _, c := range p.Changes {
		if c.Action == syncengine.ActionError {
			if !strings.Contains(c.Error, "read in part") || !strings.Contains(c.Error, "503") {
				t.Errorf("change %s/%s: error %q, want it to say the record was read in part and why", c.AID, c.BID, c.Error)
			}
			held = append(held, c.AID+"/"+c.BID)
		}
	}
	if got, want := strings.Join(held, " "), "e1/l1 e2/l2 e3/l3 e4/"; got != want {
		t.Errorf("held changes %q, want %q\n%v", got, want, summarize(p))
	}

	rep := v.sync(t)
	if !rep.Failed() {
		t.Errorf("the report does not fail though four records were held: %v", rep.Counts)
	}
	got := emails(t, v.lms) // fails on a duplicate c@
	if !got["a@example.com"].Active {
		t.Errorf("l1 was deactivated from a source read in part")
	}
	if ln := got["b@example.com"].Fields["last_name"]; ln != "Two" {
		t.Errorf("l2 last_name %v: written though it was read in part", ln)
	}
	if _, ok := got["d@example.com"]; ok {
		t.Errorf("e4 was created from a record read in part")
	}
	if _, ok := got["e@example.com"]; !ok {
		t.Errorf("e5 was not created: one record read in part stopped the rest")
	}

	// Read whole on the next run, they are written.
	clear(hr.part)
	clear(lms.part)
	v.sync(t)
	got = emails(t, v.lms)
	if got["a@example.com"].Active {
		t.Errorf("l1 still active once e1 was read whole")
	}
	if ln := got["b@example.com"].Fields["last_name"]; ln != "Renamed" {
		t.Errorf("l2 last_name %v once read whole, want Renamed", ln)
	}
	if _, ok := got["d@example.com"]; !ok {
		t.Errorf("e4 not created once read whole")
	}
	if l := v.links(t); l["e3"] != "l3" {
		t.Errorf("e3 linked to %q, want l3 (matched, not duplicated)", l["e3"])
	}
}

// TestListingErrorWithoutARecordStillEnds: ErrIncomplete with no record
// id is not a record read in part; like any other error it ends the plan.
func TestListingErrorWithoutARecordStillEnds(t *testing.T) {
	broken := &syncenginetest.StaticConnector{Vendor: "hr", Records: []syncengine.Record{person("e1", "a@example.com", "A", "One", true)}}
	e, err := syncengine.New(syncengine.Config{A: &noIDPart{broken}, B: syncenginetest.NewConnector("lms"),
		Store: syncengine.NewMemoryStore(), Pair: "ids", Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: rules(hrToLMS, allowAll, byEmail...)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Plan(context.Background()); !errors.Is(err, syncengine.ErrIncomplete) {
		t.Fatalf("Plan error %v, want the listing's ErrIncomplete", err)
	}
}

type noIDPart struct {
	*syncenginetest.StaticConnector
}

func (k *noIDPart) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		yield(syncengine.Record{}, fmt.Errorf("page 2: %w", syncengine.ErrIncomplete))
	}
}
