package jobs_test

import (
	"context"
	"testing"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/syncengine"
)

// A field hidden from the API key's user
// (https://documentation.bamboohr.com/reference/get-employee) after a first
// sync changes nothing in Litmos, on the full (custom report) and the
// per-employee (get-employee) path; a field emptied in BambooHR still clears
// the learner's.
func TestHiddenFieldNeverClearsLitmos(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ids := e.staff(3)
	e.sync(t)
	for _, id := range ids {
		if u := e.learner(t, username(t, e, id)); u.PhoneMobile != "+1 555 0199" {
			t.Fatalf("first sync: learner %s mobile = %q", u.UserName, u.PhoneMobile)
		}
	}

	// The integration user loses sight of mobilePhone.
	e.hr.AddKey(bamboohrtest.DefaultAPIKey, bamboohrtest.Key{HiddenFields: []string{"mobilePhone"}})
	p, err := e.job.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Summary(); s.Update != 0 || p.HasChanges() {
		t.Errorf("plan with mobilePhone hidden: %+v\n%s", s, p)
	}
	for _, ch := range p.Changes {
		if ch.Action != syncengine.ActionSkip || len(ch.Fields) != 0 {
			t.Errorf("employee %s: %s %+v, want skip with no field", ch.AID, ch.Action, ch.Fields)
		}
	}
	e.lms.Log().Reset()
	e.sync(t)
	if _, err := e.job.SyncEmployees(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if n := e.writes(); n != 0 {
		t.Errorf("syncs with mobilePhone hidden made %d writes to Litmos, want 0: %+v", n, e.lms.Log().Entries())
	}
	for _, id := range ids {
		if u := e.learner(t, username(t, e, id)); u.PhoneMobile != "+1 555 0199" {
			t.Errorf("hidden field cleared learner %s mobile: %q", u.UserName, u.PhoneMobile)
		}
	}

	// Visible again, and emptied for one employee: that learner's mobile
	// is cleared, and only it.
	e.hr.AddKey(bamboohrtest.DefaultAPIKey, bamboohrtest.Key{})
	e.hr.SetField(atoi(ids[0]), "mobilePhone", "")
	p, err = e.job.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Summary(); s.Update != 1 {
		t.Errorf("plan after emptying one mobile: %+v, want 1 update\n%s", s, p)
	}
	rep := e.sync(t)
	if row := rowOf(t, rep, ids[0]); row.Result != syncengine.ResultUpdated || len(row.Fields) != 1 || row.Fields[0] != "PhoneMobile" {
		t.Errorf("row = %+v, want PhoneMobile updated", row)
	}
	for i, id := range ids {
		want := "+1 555 0199"
		if i == 0 {
			want = ""
		}
		if u := e.learner(t, username(t, e, id)); u.PhoneMobile != want {
			t.Errorf("learner %s mobile = %q, want %q", u.UserName, u.PhoneMobile, want)
		}
	}
}

func username(t *testing.T, e *env, id string) string {
	t.Helper()
	f, ok := e.hr.Employee(atoi(id))
	if !ok {
		t.Fatalf("no employee %s", id)
	}
	return f["workEmail"]
}
