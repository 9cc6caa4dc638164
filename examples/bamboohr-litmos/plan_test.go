package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// -plan-out saves the reviewed plan; -plan FILE -apply applies exactly it
// later, refuses a plan for another pair, refuses per record what went
// stale, and reports a second apply as already applied.
func TestSavedPlan(t *testing.T) {
	hr, lms, env := fakeAccounts(t)
	state := t.TempDir()
	if r := runMain(t, env, "-state", state, "-apply"); r.code != 0 {
		t.Fatal(r)
	}
	ana := hr.EmployeeIDs()[0]
	hr.AddEmployee(map[string]string{"firstName": "Bo", "lastName": "Chen", "workEmail": "bo@acme.example",
		"customLitmosAccess": "yes"})
	hr.SetField(ana, "jobTitle", "Buyer")
	planFile := filepath.Join(t.TempDir(), "plan.json")
	r := runMain(t, env, "-state", state, "-plan-out", planFile)
	if r.code != 0 || !strings.Contains(r.out, "Saved the plan to "+planFile+": apply exactly it with -plan "+planFile+" -apply.") ||
		!strings.Contains(r.out, "Plan: 1 to create, 1 to update") {
		t.Fatal(r)
	}
	if fi, err := os.Stat(planFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("plan file: %v %v, want mode 0600", fi, err)
	}

	// The plan is reviewed; then a Litmos admin changes Ana's job title:
	// her update is stale, Bo's create goes ahead.
	u, _ := lms.UserByUsername("ana@acme.example")
	if _, err := lms.NewClient(t).UpdateUser(context.Background(), u.ID, func(u *litmos.User) error {
		u.JobTitle = "Procurement Lead"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	r = runMain(t, env, "-state", state, "-plan", planFile, "-apply")
	if r.code != 1 || !strings.Contains(r.out, "1 created") || !strings.Contains(r.out, "stale:") ||
		!strings.Contains(r.stderr, "1 of the plan's writes failed or were refused") {
		t.Errorf("applying a stale saved plan:\n%s", r)
	}
	if _, ok := lms.UserByUsername("bo@acme.example"); !ok {
		t.Errorf("Bo's learner was not created")
	}
	if u, _ := lms.UserByUsername("ana@acme.example"); u.JobTitle != "Procurement Lead" {
		t.Errorf("a stale update overwrote the admin's change: %q", u.JobTitle)
	}
	r = runMain(t, env, "-state", state, "-plan", planFile, "-apply")
	if r.code != 1 || !strings.Contains(r.out, "1 already applied") {
		t.Errorf("applying a saved plan twice:\n%s", r)
	}

	// A plan for another company is refused before anything is written.
	var p syncengine.Plan
	b, _ := os.ReadFile(planFile)
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	p.Pair = "bamboohr<->litmos@globex"
	other := filepath.Join(t.TempDir(), "other.json")
	b, _ = json.Marshal(p)
	if err := os.WriteFile(other, b, 0o600); err != nil {
		t.Fatal(err)
	}
	writes := lms.Log().Count(litmostest.IsWrite)
	r = runMain(t, env, "-state", state, "-plan", other, "-apply")
	if r.code != 2 || !strings.Contains(r.stderr, "is a plan for bamboohr<->litmos@globex, and this run syncs bamboohr<->litmos@acme") {
		t.Errorf("a plan for another pair:\n%s", r)
	}
	if n := lms.Log().Count(litmostest.IsWrite); n != writes {
		t.Errorf("a refused plan made %d writes", n-writes)
	}
	for _, bad := range []string{"{}", "not json"} {
		f := filepath.Join(t.TempDir(), "bad.json")
		_ = os.WriteFile(f, []byte(bad), 0o600)
		if r := runMain(t, env, "-state", state, "-plan", f, "-apply"); r.code != 2 || !strings.Contains(r.stderr, "is not a saved plan") {
			t.Errorf("-plan %q:\n%s", bad, r)
		}
	}
}

// A plan saved on the fakes applies on a fresh fake company (same seed):
// the saved plan's review, then its apply.
func TestSavedPlanOnFakes(t *testing.T) {
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if r := runMain(t, nil, "-plan-out", planFile, "-only", "101,102"); r.code != 0 {
		t.Fatal(r)
	}
	r := runMain(t, nil, "-plan", planFile)
	if r.code != 0 || !strings.Contains(r.out, "Plan: 2 to create") || !strings.Contains(r.out, "Nothing was written") {
		t.Errorf("reviewing a saved plan:\n%s", r)
	}
	r = runMain(t, nil, "-plan", planFile, "-apply")
	if r.code != 0 || !strings.Contains(r.out, "2 created") || strings.Contains(r.out, "webhook") {
		t.Errorf("applying a saved plan:\n%s", r)
	}
}
