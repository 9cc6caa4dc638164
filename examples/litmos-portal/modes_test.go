package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/litmos/litmostest"
)

// -test-connection passes on a good account and fails clearly, naming
// what to fix and never the key or the source, otherwise.
func TestTestConnection(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	empty := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	empty.AddAPIKey(testKey)
	tests := []struct {
		name string
		env  map[string]string
		code int
		want string
	}{
		{"good", a.env, 0, "Connection to your Litmos account: the API key and the source are accepted, and the account has teams."},
		{"fake", nil, 0, "Connection to the built-in Litmos fake"},
		{"bad key", map[string]string{"LITMOS_API_KEY": "wr0ng-" + testKey[:6], "LITMOS_SOURCE": testSource,
			"LITMOS_BASE_URL": a.env["LITMOS_BASE_URL"]}, 1, "litmos: test connection: the API key was refused"},
		{"no source", map[string]string{"LITMOS_API_KEY": testKey, "LITMOS_BASE_URL": a.env["LITMOS_BASE_URL"]}, 2,
			"missing environment variables LITMOS_SOURCE (LITMOS_API_KEY set)"},
		{"no team", map[string]string{"LITMOS_API_KEY": testKey, "LITMOS_SOURCE": testSource, "LITMOS_BASE_URL": empty.BaseURL()}, 1,
			"the account has no teams (create one in Litmos first)"},
		{"base URL alone", map[string]string{"LITMOS_BASE_URL": empty.BaseURL()}, 2, "LITMOS_BASE_URL set, but no credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, tc.env, "-test-connection")
			if r.code != tc.code || !strings.Contains(r.out+r.stderr, tc.want) {
				t.Errorf("want exit %d and %q\n%s", tc.code, tc.want, r)
			}
			checkNoSecrets(t, r.out+r.stderr)
			if strings.Contains(r.out+r.stderr, "wr0ng-") {
				t.Errorf("the refused key shows:\n%s", r)
			}
		})
	}
	if r := runMain(t, nil, "-test-connection", "-apply"); r.code != 2 || !strings.Contains(r.stderr, "takes no other flag") {
		t.Errorf("-test-connection -apply: %s", r)
	}
}

// -assign: without -apply it says what it would assign and writes
// nothing; with it, it reads the learner's courses, posts only the missing
// ones with sendmessage=false (no email), records one row each, and a
// repeat assigns nothing; unknown emails and courses are usage errors.
func TestAssign(t *testing.T) {
	a := newAccount(t, len(seed().Teams))
	if r := a.sync(t, "-apply"); r.code != 0 {
		t.Fatal(r)
	}
	course := map[string]string{}
	for _, c := range a.lms.Courses() {
		course[c.Code] = c.ID
	}
	arg := "ANA.LIMA@northwind.example=" + course["PHISH-101"] + "," + course["PASS-101"]
	before := dump(t, a.db)
	a.lms.Log().Reset()
	r := a.sync(t, "-assign", arg)
	if r.code != 0 || !strings.Contains(r.out, course["PASS-101"]+"   Password Hygiene         would assign") ||
		!strings.Contains(r.out, course["PHISH-101"]+"   Spotting Phishing        already assigned, 50% complete") {
		t.Fatal(r)
	}
	if diff := cmp.Diff(before, dump(t, a.db)); diff != "" || a.lms.Log().Count(litmostest.IsWrite) != 0 {
		t.Errorf("a dry run wrote (-before +after):\n%s", diff)
	}

	a.lms.Log().Reset()
	r = a.sync(t, "-assign", arg, "-apply")
	if r.code != 0 || !strings.Contains(r.out, course["PASS-101"]+"   Password Hygiene         assigned (no email sent)") {
		t.Fatal(r)
	}
	posts := filter(a.lms, func(e litmostest.Entry) bool { return e.Method == http.MethodPost })
	if len(posts) != 1 || posts[0].Query.Get("sendmessage") != "false" || !strings.Contains(string(posts[0].Body), course["PASS-101"]) ||
		strings.Contains(string(posts[0].Body), course["PHISH-101"]) {
		t.Errorf("want one POST of the missing course with sendmessage=false, got %+v", posts)
	}
	if n := a.lms.Log().Count(nil); n != 2 { // the learner's courses, then the assignment
		t.Errorf("-assign made %d calls, want 2", n)
	}
	if m := a.lms.Messages(); len(m) != 0 {
		t.Errorf("Litmos emailed: %+v", m)
	}
	wantRow := "assignment ana.lima@northwind.example " + course["PASS-101"] + " "
	if rows := select1(dump(t, a.db), "assignment "); len(rows) != 1 || rows[0] != wantRow {
		t.Errorf("assignments = %q, want [%q]", rows, wantRow)
	}
	if got := assigned(a, a.user["Ana"]); len(got) != 2 {
		t.Errorf("Ana's Litmos courses = %v", got)
	}

	a.lms.Log().Reset()
	if r := a.sync(t, "-assign", arg, "-apply"); r.code != 0 || strings.Contains(r.out, "assigned (no email sent)") {
		t.Fatalf("a repeat assigned again:\n%s", r)
	}
	if n := a.lms.Log().Count(litmostest.IsWrite); n != 0 || len(select1(dump(t, a.db), "assignment ")) != 1 {
		t.Errorf("a repeat wrote %d times to Litmos or added a row", n)
	}

	for _, tc := range []struct{ arg, want string }{
		{"nobody@northwind.example=" + course["PASS-101"], "nobody@northwind.example is not a platform user's email"},
		{"ana.lima@northwind.example=NOPE", "NOPE is not a course of the platform"},
		{"ana.lima@northwind.example", `want EMAIL=COURSE_ID[,COURSE_ID]`},
	} {
		if r := a.sync(t, "-assign", tc.arg, "-apply"); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("-assign %s: want a usage error %q\n%s", tc.arg, tc.want, r)
		}
	}
	if r := runMain(t, a.env, "-assign", arg); r.code != 2 || !strings.Contains(r.stderr, "-assign needs -db FILE") {
		t.Errorf("-assign without -db: %s", r)
	}
	if r := a.sync(t, "-assign", arg, "-only", "x"); r.code != 2 || !strings.Contains(r.stderr, "-assign takes -db, -state and -apply only") {
		t.Errorf("-assign -only: %s", r)
	}
}

// An account with more than 250 teams: a name that matches none is
// answered with the team picker's search (a search call, not a listing of
// every team).
func TestManyTeamsSearch(t *testing.T) {
	a := newAccount(t, 300)
	a.lms.Log().Reset()
	r := a.sync(t, "-teams", "Engineer")
	if r.code != 2 || !strings.Contains(r.stderr, `teams with a name like it: "Engineering"`) {
		t.Fatal(r)
	}
	searches := filter(a.lms, func(e litmostest.Entry) bool { return e.Path == "/v1.svc/teams" && e.Query.Get("search") != "" })
	if len(searches) != 1 || searches[0].Query.Get("search") != "Engineer" {
		t.Errorf("want one search call, got %+v", searches)
	}
	if r := runMain(t, nil, "-fake-teams", "300", "-teams", "Region 0295,Sales"); r.code != 0 || !strings.Contains(r.out, "300 teams") {
		t.Errorf("-fake-teams 300: %s", r)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-content", "users"}, `invalid value "users" for flag -content: want courses or courses-and-users`},
		{[]string{"-teams", ","}, "-teams: no team names"},
		{[]string{"-db"}, "flag needs an argument: -db"},
		{[]string{"-db", "a", "-db", "b"}, `invalid value "b" for flag -db: given twice`},
		{[]string{"-db", ""}, `invalid value "" for flag -db: no file`},
		{[]string{"-fake-teams", "2"}, "-fake-teams: 2 is out of range [5, 5000]"},
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
	} {
		if r := runMain(t, nil, tc.args...); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: want exit 2 and %q\n%s", tc.args, tc.want, r)
		}
	}
	a := newAccount(t, len(seed().Teams))
	if r := runMain(t, a.env, "-fake-teams", "9"); r.code != 2 || !strings.Contains(r.stderr, "-fake-teams applies to the built-in fakes only") {
		t.Errorf("fake-only flag on a real account: %s", r)
	}
}

// filter returns the requests the fake logged that match keep.
func filter(srv *litmostest.Server, keep func(litmostest.Entry) bool) []litmostest.Entry {
	var out []litmostest.Entry
	for _, e := range srv.Log().Entries() {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}
