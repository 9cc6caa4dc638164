package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/examples/litmos-portal/portal"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// The first sync of every team: a group per team (Sales taken over from
// the portal, Facilities untouched), its direct active members, users
// with a valid email in a synced team, the active courses; the others
// skipped with their reason. A rerun writes nothing to the database.
func TestFirstSyncAllTeams(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	r := a.sync(t, "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{
		"Ed Silva                 " + a.user["Ed"] + "  inactive in Litmos; not created",
		"Kim Lee                  -             outside the synced teams",
		"Noor Haddad              " + a.user["Noor"] + "  missing or invalid required field: Email (needed for email)",
		"Sam Ortiz                " + a.user["Sam"] + "  missing or invalid required field: Email (needed for email)",
		"Security Awareness 2019  ",
		"Applied in ",
		"13 created, 0 updated, 0 deactivated, 0 reactivated, 3 skipped, 2 failed.",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	if !strings.Contains(r.stderr, "notification: the Litmos -> portal sync finished: 13 created") {
		t.Errorf("no finish notification:\n%s", r.stderr)
	}
	want := []string{
		"group Engineering " + a.team["Engineering"] + " 1",
		"group Facilities - 1",
		"group Finance " + a.team["Finance"] + " 1",
		"group Platform " + a.team["Platform"] + " 1",
		"group Sales " + a.team["Sales"] + " 1",
		"group Support " + a.team["Support"] + " 1",
		"member Engineering bo.chen@northwind.example ",
		"member Facilities ida.admin@northwind.example ",
		"member Finance fatima.zahra@northwind.example ",
		"member Platform bo.chen@northwind.example ",
		"member Platform chloe.lefevre@northwind.example ",
		"member Sales ana.lima@northwind.example ",
		"member Support diego.hernandez@northwind.example ",
		"user ana.lima@northwind.example " + a.user["Ana"] + " 1",
		"user bo.chen@northwind.example " + a.user["Bo"] + " 1",
		"user chloe.lefevre@northwind.example " + a.user["Chloé"] + " 1",
		"user diego.hernandez@northwind.example " + a.user["Diego"] + " 1",
		"user fatima.zahra@northwind.example " + a.user["Fatima"] + " 1",
		"user ida.admin@northwind.example portal-admin 1",
	}
	got := dump(t, a.db)
	if diff := cmp.Diff(want, append(select1(got, "group "), append(select1(got, "member "), select1(got, "user ")...)...)); diff != "" {
		t.Errorf("portal after the first sync (-want +got):\n%s", diff)
	}
	if c := select1(got, "course "); len(c) != 3 {
		t.Errorf("courses = %q, want the 3 active ones", c)
	}

	// The rerun: nothing to write, and not a byte of the database changes.
	before := fileBytes(t, a.db)
	a.lms.Log().Reset()
	r = a.sync(t, "-apply")
	if r.code != 0 || !strings.Contains(r.out, "No changes. Portal matches Litmos (9 users, 4 courses, 5 teams checked).") {
		t.Fatal(r)
	}
	if !bytes.Equal(before, fileBytes(t, a.db)) {
		t.Error("a rerun with no changes wrote to the database")
	}
	if n := a.lms.Log().Count(litmostest.IsWrite); n != 0 {
		t.Errorf("the sync wrote %d times to Litmos, a source", n)
	}
	checkNoSecretsIn(t, a.dir)
	checkNoSecretsIn(t, r.tmp)
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Chosen teams: only their groups (a parent does not bring its sub-team),
// only their members; a name is matched exactly, and an unknown one is a
// usage error naming it, with the teams whose names look like it.
func TestChosenTeams(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	r := a.sync(t, "-apply", "-teams", "Engineering, "+a.team["Finance"])
	if r.code != 0 {
		t.Fatal(r)
	}
	got := dump(t, a.db)
	want := []string{"group Engineering " + a.team["Engineering"] + " 1", "group Facilities - 1", "group Finance " + a.team["Finance"] + " 1",
		"group Sales - 1"}
	if diff := cmp.Diff(want, select1(got, "group ")); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"user bo.chen@northwind.example " + a.user["Bo"] + " 1", "user fatima.zahra@northwind.example " +
		a.user["Fatima"] + " 1", "user ida.admin@northwind.example portal-admin 1"}, select1(got, "user ")); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"engineering", "Sale"} {
		r := a.sync(t, "-teams", bad)
		if r.code != 2 || !strings.Contains(r.stderr, `no such Litmos team named or with id "`+bad+`"`) {
			t.Errorf("-teams %s: want a usage error naming it\n%s", bad, r)
		}
	}
	if r := a.sync(t, "-teams", "Sale"); !strings.Contains(r.stderr, `teams with a name like it: "Sales"`) {
		t.Errorf("no suggestion:\n%s", r)
	}
}

// Courses only: the catalogue, and no group or user is touched.
func TestContentCourses(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	before := dump(t, a.db)
	r := a.sync(t, "-apply", "-content", "courses")
	if r.code != 0 || !strings.Contains(r.out, "3 created, 0 updated, 0 deactivated, 0 reactivated, 1 skipped, 0 failed.") {
		t.Fatal(r)
	}
	got := dump(t, a.db)
	if diff := cmp.Diff(select1(before, "group"), select1(got, "group")); diff != "" {
		t.Errorf("groups changed (-before +after):\n%s", diff)
	}
	if len(select1(got, "user ")) != 1 || len(select1(got, "course ")) != 3 {
		t.Errorf("portal = %q", got)
	}
	if r := a.sync(t, "-content", "courses", "-teams", "Sales"); r.code != 2 || !strings.Contains(r.stderr, "-teams has no effect with -content courses") {
		t.Errorf("-teams with courses only:\n%s", r)
	}
}

// Changes in Litmos after the first sync: a renamed team renames its
// group (members follow), a user removed from Litmos and one who left
// every synced team are kept inactive and out of the groups, a
// deactivated user too; each run writes only what changed.
func TestChangesInLitmos(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	if r := a.sync(t, "-apply"); r.code != 0 {
		t.Fatal(r)
	}
	ctx := context.Background()
	c := a.lms.NewClient(t)
	a.lms.RenameTeam(a.team["Support"], "Customer Support")
	if err := c.DeleteUser(ctx, a.user["Ana"]); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveTeamMember(ctx, a.team["Finance"], a.user["Fatima"]); err != nil {
		t.Fatal(err)
	}
	if err := c.DeactivateUser(ctx, a.user["Chloé"]); err != nil {
		t.Fatal(err)
	}
	r := a.sync(t, "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{
		"~ update      " + a.team["Support"] + "  Customer Support         " + a.team["Support"] + "  name",
		"- deactivate  " + a.user["Ana"] + "  Ana Lima                 -             removed from Litmos",
		"- deactivate  " + a.user["Chloé"] + "  Chloé Lefèvre            " + a.user["Chloé"] + "  inactive in Litmos",
		"- deactivate  " + a.user["Fatima"] + "  Fatima Zahra             " + a.user["Fatima"] + "  left the synced teams",
		"0 created, 1 updated, 3 deactivated",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	got := dump(t, a.db)
	for _, want := range []string{
		"group Customer Support " + a.team["Support"] + " 1",
		"member Customer Support diego.hernandez@northwind.example ",
		"user ana.lima@northwind.example " + a.user["Ana"] + " 0",
		"user fatima.zahra@northwind.example " + a.user["Fatima"] + " 0",
		"user chloe.lefevre@northwind.example " + a.user["Chloé"] + " 0",
	} {
		if !contains(got, want) {
			t.Errorf("portal lacks %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if m := select1(got, "member "); len(m) != 4 {
		t.Errorf("members = %q: want Bo twice, Diego and Ida's Facilities", m)
	}
	if r := a.sync(t, "-apply"); !strings.Contains(r.out, "No changes.") {
		t.Errorf("the run after: %s", r)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// A group whose auto_sync is off is left alone by every run, name and
// members, unless its team is named in -teams; turned off, it keeps its
// value through the run that names it.
func TestPausedGroup(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	if r := a.sync(t, "-apply"); r.code != 0 {
		t.Fatal(r)
	}
	exec(t, a.db, "UPDATE groups SET auto_sync = 0 WHERE name = 'Support'")
	a.lms.RenameTeam(a.team["Support"], "Customer Support")
	a.lms.AddTeamMember(a.team["Support"], a.user["Bo"])
	before := dump(t, a.db)
	r := a.sync(t, "-apply")
	if r.code != 0 || !strings.Contains(r.out, "No changes.") {
		t.Fatalf("a paused group changed something:\n%s", r)
	}
	if diff := cmp.Diff(before, dump(t, a.db)); diff != "" {
		t.Errorf("the portal changed (-before +after):\n%s", diff)
	}
	r = a.sync(t, "-apply", "-teams", "Customer Support,Engineering,Platform,Sales,Finance")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := dump(t, a.db)
	for _, want := range []string{"group Customer Support " + a.team["Support"] + " 0", "member Customer Support bo.chen@northwind.example "} {
		if !contains(got, want) {
			t.Errorf("portal lacks %q after naming the team:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func exec(t *testing.T, path, q string) {
	t.Helper()
	db, err := portal.Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// A plan run changes nothing in the database file, and creates none.
func TestPlanRunWritesNothing(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	before := fileBytes(t, a.db)
	if r := a.sync(t); r.code != 0 || !strings.Contains(r.out, "Plan: 13 to create") {
		t.Fatal(r)
	}
	if !bytes.Equal(before, fileBytes(t, a.db)) {
		t.Error("a plan run wrote to the database")
	}
	r := runMain(t, nil)
	if r.code != 0 || !strings.Contains(r.out, "portal: none yet") {
		t.Fatal(r)
	}
	if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
		t.Errorf("a plan run left %v in the temp directory", left)
	}
	missing := a.dir + "/none.db"
	if r := runMain(t, a.env, "-db", missing); r.code != 0 || !strings.Contains(r.out, "does not exist: a plan run creates no file") {
		t.Fatal(r)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a plan run created the database file")
	}
}

// Faults on the Litmos side: a read that fails after its retries stops
// the run before any write, and the next run does it all; nothing is lost.
func TestLitmosFaults(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	before := dump(t, a.db)
	a.lms.AddFault(litmostest.Fault{Method: "GET", Path: "/v1.svc/teams/" + a.team["Platform"] + "/users", Status: 503, Times: 100})
	r := a.sync(t, "-apply")
	if r.code != 1 || !strings.Contains(r.stderr, "503") {
		t.Fatalf("want a failed run:\n%s", r)
	}
	if diff := cmp.Diff(before, dump(t, a.db)); diff != "" {
		t.Errorf("a failed read wrote (-before +after):\n%s", diff)
	}
	a.lms.ClearFaults()
	a.lms.AddFault(litmostest.Fault{Method: "GET", Path: "/v1.svc/users/details", Status: 503, Times: 1})
	if r := a.sync(t, "-apply"); r.code != 0 || !strings.Contains(r.out, "13 created") {
		t.Fatalf("one 503 is retried:\n%s", r)
	}
}

var _ = litmos.Team{}
