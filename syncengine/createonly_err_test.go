package syncengine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// levelMap is a fieldMap plus one required target written only on create,
// from the source field from. Its error names its target the way
// *mapping.FieldError does.
type levelMap struct {
	fieldMap
	from, to string
}

func (m levelMap) Apply(src map[string]any) (map[string]any, error) {
	out, err := m.fieldMap.Apply(src)
	if v, _ := src[m.from].(string); v != "" {
		out[m.to] = v
	} else {
		err = errors.Join(err, targetErr(m.to))
	}
	return out, err
}

func (m levelMap) CreateOnly(target string) bool { return target == m.to }

// targetErr is a per-field error naming its target.
type targetErr string

func (e targetErr) Error() string       { return string(e) + ": required value is empty" }
func (e targetErr) FieldTarget() string { return string(e) }

var _ syncengine.FieldTargetError = targetErr("")

var (
	hrLevel  = levelMap{hrToLMS, "level", "access_level"}
	lmsLevel = levelMap{lmsToHR, "access_level", "level"}
)

// hrLevelMapping is hrLevel written as a mapping.Map.
func hrLevelMapping(t *testing.T) *mapping.Map {
	t.Helper()
	m, err := mapping.Compile(mapping.Spec{Name: "hr-lms", Options: mapping.Options{OmitEmpty: true}, Rules: []mapping.Rule{
		{Target: "email", Source: "email", Required: true},
		{Target: "first_name", Source: "firstName"},
		{Target: "last_name", Source: "lastName"},
		{Target: "job_title", Source: "title"},
		{Target: "access_level", Source: "level", Required: true, When: mapping.WhenCreate},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A failing create-only target fails the create but not the update of a
// linked record, which never writes it, in either direction.
func TestCreateOnlyTargetErrorSparesUpdates(t *testing.T) {
	tests := []struct {
		name      string
		dir       syncengine.Direction
		aToB      func(*testing.T) syncengine.FieldMap
		reverseCO bool // the B→A map has its own failing create-only target
	}{
		{name: "one-way", dir: syncengine.AToB, aToB: func(*testing.T) syncengine.FieldMap { return hrLevel }},
		{name: "one-way mapping.Map", dir: syncengine.AToB,
			aToB: func(t *testing.T) syncengine.FieldMap { return hrLevelMapping(t) }},
		{name: "two-way", dir: syncengine.TwoWay, aToB: func(*testing.T) syncengine.FieldMap { return hrLevel }, reverseCO: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			v.cfg.Direction = tt.dir
			v.cfg.Collections[0].AToB = rules(tt.aToB(t), allowAll, byEmail...)
			if tt.reverseCO {
				v.cfg.Collections[0].BToA = rules(lmsLevel, allowAll, byEmail...)
			}
			rec := person("e1", "ann@example.com", "Ann", "One", true)
			rec.Fields["title"], rec.Fields["level"] = "Clerk", "learner"
			v.hr.Put(syncengine.Users, rec)
			v.sync(t)
			bID := v.links(t)["e1"]

			// The level leaves both records; the employee changes title.
			delete(rec.Fields, "level")
			rec.Fields["title"] = "Manager"
			v.hr.Put(syncengine.Users, rec)
			l, _ := v.lms.Record(syncengine.Users, bID)
			delete(l.Fields, "access_level")
			v.lms.Put(syncengine.Users, l)
			// A new employee without a level is still not created.
			v.hr.Put(syncengine.Users, person("e2", "bo@example.com", "Bo", "Two", true))

			p := v.plan(t)
			want := []summary{
				{AID: "e1", BID: bID, Action: syncengine.ActionUpdate, Fields: []string{"b.job_title=Manager"}},
				{AID: "e2", Action: syncengine.ActionSkip, Reason: syncengine.ReasonMissingField},
			}
			if diff := cmp.Diff(want, summarize(p)); diff != "" {
				t.Fatalf("plan (-want +got):\n%s\n%s", diff, p)
			}
			if p.Changes[0].Error != "" {
				t.Errorf("update carries the create-only error: %q", p.Changes[0].Error)
			}
			if !strings.Contains(p.Changes[1].Error, "access_level") {
				t.Errorf("create skip error = %q, want it to name access_level", p.Changes[1].Error)
			}
			v.sync(t)
			l, _ = v.lms.Record(syncengine.Users, bID)
			if l.Fields["job_title"] != "Manager" {
				t.Errorf("LMS record after sync: %v, want job_title Manager", l.Fields)
			}
		})
	}
}

// A record matched by key (not yet linked) is updated and linked despite
// a failing create-only target; another failing field still skips an
// update, naming only that field.
func TestCreateOnlyTargetErrorMatchedAndMixed(t *testing.T) {
	v := newEnv(nil, nil)
	v.cfg.Collections[0].AToB = rules(hrLevel, allowAll, byEmail...)
	matched := person("e1", "ann@example.com", "Ann", "One", true)
	matched.Fields["title"] = "Manager"
	v.hr.Put(syncengine.Users, matched)
	v.lms.Put(syncengine.Users, learner("l1", "ann@example.com", "Ann", "One", true))
	v.hr.Put(syncengine.Users, person("e2", "", "Bo", "Two", true)) // no email, no level
	v.lms.Put(syncengine.Users, learner("l2", "bo@example.com", "Bo", "Two", true))
	v.link(t, "e2", "l2")

	p := v.plan(t)
	want := []summary{
		{AID: "e1", BID: "l1", Action: syncengine.ActionUpdate, Fields: []string{"b.job_title=Manager"}},
		{AID: "e2", BID: "l2", Action: syncengine.ActionSkip, Reason: syncengine.ReasonMissingField},
	}
	if diff := cmp.Diff(want, summarize(p)); diff != "" {
		t.Fatalf("plan (-want +got):\n%s\n%s", diff, p)
	}
	if !p.Changes[0].Link {
		t.Errorf("matched update does not link: %+v", p.Changes[0])
	}
	if got := p.Changes[1].Error; !strings.Contains(got, "email") || strings.Contains(got, "access_level") {
		t.Errorf("mixed error = %q, want email's error only", got)
	}
}

// sourceErr is a per-field error naming its target and its source, as a
// syncengine.FieldSourceError.
type sourceErr struct{ target, source string }

func (e sourceErr) Error() string       { return e.target + " (from " + e.source + "): invalid" }
func (e sourceErr) FieldTarget() string { return e.target }
func (e sourceErr) FieldSource() string { return e.source }

var _ syncengine.FieldSourceError = sourceErr{}

// errMap is hrToLMS failing with err once the record has a "fail" field.
type errMap struct{ err error }

func (m errMap) Apply(src map[string]any) (map[string]any, error) {
	out, err := hrToLMS.Apply(src)
	if src["fail"] != nil {
		err = errors.Join(err, m.err)
	}
	return out, err
}

// A skip for a map error lists the failed targets (and sources, when the
// errors name them) on the change and on its outcome, for a create and
// for an update of a linked record alike.
func TestMapErrorListsFailedFields(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []syncengine.FieldFailure
	}{
		{name: "no target", err: errors.New("something broke")},
		{name: "target", err: targetErr("email"), want: []syncengine.FieldFailure{{Target: "email"}}},
		{name: "wrapped targets and sources",
			err:  fmt.Errorf("map: %w", errors.Join(targetErr("email"), sourceErr{"phone", "mobile, home"})),
			want: []syncengine.FieldFailure{{Target: "email"}, {Target: "phone", Source: "mobile, home"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newEnv(nil, nil)
			v.cfg.Collections[0].AToB = rules(errMap{tt.err}, allowAll, byEmail...)
			v.hr.Put(syncengine.Users, person("e1", "ann@example.com", "Ann", "One", true))
			v.sync(t)
			for _, id := range []string{"e1", "e2"} {
				r := person(id, id+"@example.com", "F", id, true)
				r.Fields["fail"] = true
				v.hr.Put(syncengine.Users, r)
			}
			v.cfg.DryRun = true
			rep := v.sync(t)
			if len(rep.Outcomes) != 2 {
				t.Fatalf("outcomes: %+v", rep.Outcomes)
			}
			for _, o := range rep.Outcomes {
				if o.Reason != syncengine.ReasonMissingField || o.Error == "" {
					t.Errorf("%s: reason %q, error %q; want a missing field skip", o.AID, o.Reason, o.Error)
				}
				if diff := cmp.Diff(tt.want, o.Failures); diff != "" {
					t.Errorf("%s: failures (-want +got):\n%s", o.AID, diff)
				}
			}
		})
	}
}
