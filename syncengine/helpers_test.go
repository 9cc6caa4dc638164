package syncengine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// fieldMap is a small FieldMap for tests: renames, required target
// fields, and source fields that become references.
type fieldMap struct {
	rename   map[string]string // source field → target field
	required []string          // target fields
	refs     map[string]string // source field → target role, value is a users id
}

func (m fieldMap) Apply(src map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(m.rename)+len(m.refs))
	for from, to := range m.rename {
		if v, ok := src[from]; ok && v != nil && v != "" {
			out[to] = v
		}
	}
	for from, role := range m.refs {
		id, _ := src[from].(string)
		out[role] = userRef(id)
	}
	var errs []error
	for _, f := range m.required {
		if _, ok := out[f]; !ok {
			errs = append(errs, fmt.Errorf("%s: required", f))
		}
	}
	return out, errors.Join(errs...)
}

// userRef is a reference value as the mapping package produces it.
type userRef string

func (r userRef) Reference() (string, string) { return string(syncengine.Users), string(r) }

var hrToLMS = fieldMap{
	rename:   map[string]string{"email": "email", "firstName": "first_name", "lastName": "last_name", "title": "job_title"},
	required: []string{"email"},
}

var lmsToHR = fieldMap{
	rename:   map[string]string{"email": "email", "first_name": "firstName", "last_name": "lastName", "job_title": "title"},
	required: []string{"email"},
}

var byEmail = []syncengine.MatchKey{{Field: "email", Fold: true}}

var allowAll = syncengine.Rules{Create: true, Update: true, Deactivate: true, Reactivate: true, Refs: true}

func rules(m syncengine.FieldMap, base syncengine.Rules, keys ...syncengine.MatchKey) syncengine.Rules {
	base.Map, base.Match = m, keys
	return base
}

var clock = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// env is a pair of in-memory connectors ("hr" is A, "lms" is B) and a store.
type env struct {
	hr, lms *syncenginetest.Connector
	store   *syncengine.MemoryStore
	cfg     syncengine.Config
}

func newEnv(hrOpts, lmsOpts []syncenginetest.Option) *env {
	v := &env{
		hr:    syncenginetest.NewConnector("hr", hrOpts...),
		lms:   syncenginetest.NewConnector("lms", append([]syncenginetest.Option{syncenginetest.WithFindFold("email")}, lmsOpts...)...),
		store: syncengine.NewMemoryStore(),
	}
	v.cfg = syncengine.Config{
		A: v.hr, B: v.lms, Store: v.store, Direction: syncengine.AToB,
		Collections: []syncengine.CollectionRules{{
			Collection: syncengine.Users,
			AToB:       rules(hrToLMS, allowAll, byEmail...),
		}},
		Concurrency: 4,
		Now:         func() time.Time { return clock },
	}
	return v
}

func (v *env) engine(t testing.TB) *syncengine.Engine {
	t.Helper()
	e, err := syncengine.New(v.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (v *env) plan(t testing.TB) *syncengine.Plan {
	t.Helper()
	p, err := v.engine(t).Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (v *env) sync(t testing.TB) *syncengine.Report {
	t.Helper()
	r, err := v.engine(t).Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return r
}

func (v *env) link(t testing.TB, aID, bID string) {
	t.Helper()
	l := syncengine.Link{Collection: syncengine.Users, AID: aID, BID: bID, UpdatedAt: clock}
	if err := v.store.PutLink(context.Background(), v.engine(t).Pair(), l); err != nil {
		t.Fatal(err)
	}
}

// storedLinks returns the store's users links.
func (v *env) storedLinks(t testing.TB) []syncengine.Link {
	t.Helper()
	ls, err := v.store.Links(context.Background(), v.engine(t).Pair(), syncengine.Users)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func (v *env) links(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range v.storedLinks(t) {
		out[l.AID] = l.BID
	}
	return out
}

func person(id, email, first, last string, active bool) syncengine.Record {
	f := map[string]any{"firstName": first, "lastName": last}
	if email != "" {
		f["email"] = email
	}
	return syncengine.Record{ID: id, Active: active, Fields: f}
}

func learner(id, email, first, last string, active bool) syncengine.Record {
	f := map[string]any{"first_name": first, "last_name": last}
	if email != "" {
		f["email"] = email
	}
	return syncengine.Record{ID: id, Active: active, Fields: f}
}

// summary is the compact form of a change that most tests compare.
type summary struct {
	AID, BID string
	Action   syncengine.Action
	Reason   syncengine.Reason
	Fields   []string
}

func summarize(p *syncengine.Plan) []summary {
	out := make([]summary, 0, len(p.Changes))
	for _, c := range p.Changes {
		s := summary{AID: c.AID, BID: c.BID, Action: c.Action, Reason: c.Reason}
		for _, f := range c.Fields {
			s.Fields = append(s.Fields, string(f.Side)+"."+f.Field+"="+syncengine.Canonical(f.New))
		}
		out = append(out, s)
	}
	return out
}

// emails returns the sink's records keyed by email, failing on duplicates.
func emails(t testing.TB, k *syncenginetest.Connector) map[string]syncengine.Record {
	t.Helper()
	out := map[string]syncengine.Record{}
	var dups []string
	for _, r := range k.Records(syncengine.Users) {
		e, _ := r.Fields["email"].(string)
		if _, ok := out[e]; ok {
			dups = append(dups, e)
		}
		out[e] = r
	}
	if len(dups) > 0 {
		sort.Strings(dups)
		t.Fatalf("%s has duplicate records for %v", k.Name(), dups)
	}
	return out
}

// deletedManager is a synced pair where e1 reports to e2 (the target
// writing each record in one call when cheap; keep sets
// KeepUnmanagedRefs), e2's account then deleted in the target. It returns
// e1 as put and the deleted account's id.
func deletedManager(t *testing.T, cheap, keep bool) (*env, syncengine.Record, string) {
	t.Helper()
	v := newEnv(nil, nil)
	v.cfg.Collections[0].AToB.KeepUnmanagedRefs = keep
	if cheap {
		v.lms.SetCapabilities(syncengine.Users, syncenginetest.EveryCapability)
	}
	e1 := person("e1", "1@example.com", "N", "1", true)
	e1.Refs = map[string][]syncengine.Ref{"manager": {personRef("e2")}}
	v.hr.Put(syncengine.Users, e1)
	v.hr.Put(syncengine.Users, person("e2", "2@example.com", "M", "2", true))
	v.sync(t)
	gone := v.links(t)["e2"]
	v.lms.Delete(syncengine.Users, gone)
	return v, e1, gone
}

// applySaved applies the plan saved as raw (JSON) with a new engine, as
// another process would.
func applySaved(t *testing.T, v *env, raw []byte) *syncengine.Report {
	t.Helper()
	var saved syncengine.Plan
	if err := json.Unmarshal(raw, &saved); err != nil {
		t.Fatal(err)
	}
	rep, err := v.engine(t).Apply(context.Background(), &saved)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// renameAfterDeletion is what follows deletedManager in many tests: the
// target clears e1's reference to the deleted account, and e1 gets a new
// last name in the source.
func renameAfterDeletion(t *testing.T, v *env, e1 syncengine.Record) {
	t.Helper()
	l1 := userByEmail(v.lms, "1@example.com")
	l1.Refs = nil
	v.lms.Put(syncengine.Users, l1)
	e1.Fields["lastName"] = "Renamed"
	v.hr.Put(syncengine.Users, e1)
}

// userByEmail is k's first user with email, without checking for duplicates
// (emails does).
func userByEmail(k *syncenginetest.Connector, email string) syncengine.Record {
	for _, r := range k.Records(syncengine.Users) {
		if r.Fields["email"] == email {
			return r
		}
	}
	return syncengine.Record{}
}

// btoaManagerRemade is a B -> A pair where l1 reports to l2, synced; then
// l2's HR record is deleted and made again by hand as a-byhand (same
// email). It returns l1 as put and the deleted HR record's id.
func btoaManagerRemade(t *testing.T) (*env, syncengine.Record, string) {
	t.Helper()
	v := newEnv(nil, nil)
	v.cfg.Direction = syncengine.BToA
	v.cfg.Collections[0].AToB = syncengine.Rules{}
	v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
	l1 := learner("l1", "1@example.com", "N", "1", true)
	l1.Refs = map[string][]syncengine.Ref{"manager": {{Collection: syncengine.Users, ID: "l2"}}}
	v.lms.Put(syncengine.Users, l1)
	v.lms.Put(syncengine.Users, learner("l2", "2@example.com", "M", "2", true))
	if rep := v.sync(t); rep.Failed() {
		t.Fatalf("%s %+v", rep.Summary(), rep.Outcomes)
	}
	var gone string
	for a, b := range v.links(t) {
		if b == "l2" {
			gone = a
		}
	}
	v.hr.Delete(syncengine.Users, gone)
	v.hr.Put(syncengine.Users, person("a-byhand", "2@example.com", "M", "2", true))
	return v, l1, gone
}

// applySavedPlan applies p as saved (JSON) and loaded by another process:
// not fresh, so Apply checks it first.
func applySavedPlan(t *testing.T, v *env, p *syncengine.Plan) *syncengine.Report {
	t.Helper()
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return applySaved(t, v, raw)
}
