package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

func TestLitmosPlatformRefusesBadOptions(t *testing.T) {
	lms := litmostest.NewServer(t).NewClient(t)
	sink := syncenginetest.NewConnector("platform")
	noEmail, err := mapping.Compile(mapping.Spec{Name: "mine", Rules: []mapping.Rule{{Target: "integration_id", Source: "Id"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		lms  *litmos.Client
		sink syncengine.Connector
		o    jobs.LitmosPlatformOptions
		want string
	}{
		{"no client", nil, sink, jobs.LitmosPlatformOptions{}, "needs a Litmos client and a sink connector"},
		{"no sink", lms, nil, jobs.LitmosPlatformOptions{}, "needs a Litmos client and a sink connector"},
		{"content", lms, sink, jobs.LitmosPlatformOptions{Content: "users"}, `content "users"`},
		{"no teams", lms, sink, jobs.LitmosPlatformOptions{TeamIDs: []string{}}, "TeamIDs is empty"},
		{"map without email", lms, sink, jobs.LitmosPlatformOptions{Map: noEmail}, `the user map "mine" writes no "email"`},
	} {
		if _, err := jobs.LitmosPlatform(tc.lms, tc.sink, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ana@example.com": true, "Ana.Lima+x@sub.example.co": true, `"a b"@example.com`: true, "a@b.c": true,
		"": false, "ana": false, "ana@localhost": false, "Ana <ana@example.com>": false, "a@b.com, c@d.com": false,
		" ana@example.com": false, "ana@": false, "@example.com": false, "ana@example.com.": false,
	} {
		if got := jobs.ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}

// platformEnv is the job with an in-memory sink (any connector will do)
// on a Litmos fake: two teams, a sub-team, users with and without valid
// emails and teams, two courses (one inactive).
type platformEnv struct {
	lms   *litmostest.Server
	sink  *syncenginetest.Connector
	eng   *syncengine.Engine
	team  map[string]string
	user  map[string]string
	store *syncengine.MemoryStore
}

func newPlatformEnv(t testing.TB, o jobs.LitmosPlatformOptions) *platformEnv {
	t.Helper()
	e := &platformEnv{lms: litmostest.NewServer(t, litmostest.WithoutRateLimit()), sink: syncenginetest.NewConnector("platform"),
		team: map[string]string{}, user: map[string]string{}, store: syncengine.NewMemoryStore()}
	sales := e.lms.AddTeam(litmos.Team{Name: "Sales"})
	eng := e.lms.AddTeam(litmos.Team{Name: "Engineering"})
	plat := e.lms.AddTeam(litmos.Team{Name: "Platform", ParentTeamID: eng.ID})
	e.team["Sales"], e.team["Engineering"], e.team["Platform"] = sales.ID, eng.ID, plat.ID
	for _, u := range []struct {
		name, email string
		active      bool
		teams       []string
	}{{"ana", "ana@example.com", true, []string{sales.ID}}, {"bo", "bo@example.com", true, []string{eng.ID, plat.ID}},
		{"cy", "cy@example.com", true, nil}, {"dee", "dee@localhost", true, []string{sales.ID}}, {"ed", "ed@example.com", false, []string{sales.ID}}} {
		id := e.lms.AddUser(litmos.User{UserName: u.email, Email: u.email, FirstName: u.name, LastName: "Doe", Active: u.active}).ID
		e.user[u.name] = id
		for _, tm := range u.teams {
			e.lms.AddTeamMember(tm, id)
		}
	}
	e.lms.AddCourse(litmos.Course{Code: "PH-1", Name: "Phishing", Active: true})
	e.lms.AddCourse(litmos.Course{Code: "OLD", Name: "Old", Active: false})
	cfg, err := jobs.LitmosPlatform(e.lms.NewClient(t), e.sink, o)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = e.store
	if e.eng, err = syncengine.New(cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

// The job on a sink that is not the example's: every Litmos call of a
// first sync and of a no-op rerun counted from the fake's log.
func TestLitmosPlatformAnySink(t *testing.T) {
	ctx := context.Background()
	e := newPlatformEnv(t, jobs.LitmosPlatformOptions{})
	rep, err := e.eng.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range []syncengine.Collection{syncengine.Teams, syncengine.Users, syncengine.Courses} {
		for _, r := range e.sink.Records(c) {
			got = append(got, fmt.Sprintf("%s %v %v teams:%d", c, r.Fields["name"], r.Fields["email"], len(r.Refs[syncengine.RoleTeams])))
		}
	}
	want := []string{"courses Phishing <nil> teams:0", "teams Engineering <nil> teams:0", "teams Platform <nil> teams:0",
		"teams Sales <nil> teams:0", "users ana Doe ana@example.com teams:1", "users bo Doe bo@example.com teams:2"}
	if diff := cmp.Diff(want, sorted(got)); diff != "" {
		t.Errorf("sink records (-want +got):\n%s", diff)
	}
	if rep.Counts[syncengine.ResultCreated] != 6 {
		t.Errorf("report counts = %v", rep.Counts)
	}
	// Calls: teams, courses and users pages (one each: short pages), and
	// one roster per team (the memberships reuse the team page).
	if n := e.lms.Log().Count(nil); n != 6 {
		t.Errorf("first sync: %d Litmos calls, want 6:\n%s", n, paths(e.lms))
	}
	e.lms.Log().Reset()
	if rep, err = e.eng.Sync(ctx); err != nil || rep.Writes() != 0 {
		t.Fatalf("rerun: %v, %d writes", err, rep.Writes())
	}
	if n := e.lms.Log().Count(nil); n != 6 || e.lms.Log().Count(litmostest.IsWrite) != 0 {
		t.Errorf("no-op rerun: %d calls, want the same 6 reads", n)
	}
}

func sorted(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

func paths(srv *litmostest.Server) string {
	var b strings.Builder
	for _, e := range srv.Log().Entries() {
		fmt.Fprintf(&b, "%s %s?%s\n", e.Method, e.Path, e.Query.Encode())
	}
	return b.String()
}

func TestResolveLitmosTeams(t *testing.T) {
	ctx := context.Background()
	e := newPlatformEnv(t, jobs.LitmosPlatformOptions{})
	c := e.lms.NewClient(t)
	got, err := c.ResolveTeams(ctx, []string{"Platform", e.team["Sales"], "Platform"})
	if err != nil || len(got) != 2 || got[0].ID != e.team["Platform"] || got[1].ID != e.team["Sales"] {
		t.Fatalf("ResolveLitmosTeams = %+v, %v", got, err)
	}
	if ids, err := c.ResolveTeamIDs(ctx, []string{"Platform", e.team["Sales"]}); err != nil ||
		!slices.Equal(ids, []string{e.team["Platform"], e.team["Sales"]}) {
		t.Errorf("ResolveLitmosTeamIDs = %v, %v", ids, err)
	}
	_, err = c.ResolveTeams(ctx, []string{"sales", "Nope", "Sales"})
	if !errors.Is(err, litmos.ErrUnknownTeam) || !strings.Contains(err.Error(), `"sales", "Nope"`) ||
		!strings.HasSuffix(err.Error(), `; teams with a name like it: "Sales"`) {
		t.Errorf("unknown names: %v", err)
	}
}

func TestParseAssignment(t *testing.T) {
	for _, tc := range []struct {
		in, email string
		ids       []string
	}{
		{" ana@example.com = C1, ,C2 ", "ana@example.com", []string{"C1", "C2"}},
		{"ana@example.com=C1", "ana@example.com", []string{"C1"}},
		{"ana@example.com", "", nil},
		{"ana@example.com=, ", "", nil},
		{"=C1", "", nil},
	} {
		email, ids, err := jobs.ParseAssignment(tc.in)
		if email != tc.email || !slices.Equal(ids, tc.ids) || (err == nil) != (tc.email != "") {
			t.Errorf("ParseAssignment(%q) = %q, %q, %v", tc.in, email, ids, err)
		}
	}
}

// Remediation through the link table: the learner's courses are read
// first, only the missing one is posted with sendmessage=false, and a
// repeat posts nothing; progress reads back.
func TestLitmosRemediation(t *testing.T) {
	ctx := context.Background()
	e := newPlatformEnv(t, jobs.LitmosPlatformOptions{})
	if _, err := e.eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	course := e.lms.Courses()[0].ID
	links, _ := e.store.Links(ctx, e.eng.Pair(), syncengine.Users)
	platformID := ""
	for _, l := range links {
		if l.AID == e.user["ana"] {
			platformID = l.BID
		}
	}
	r := &jobs.LitmosRemediation{Litmos: e.lms.NewClient(t), Store: e.store, Pair: e.eng.Pair(), Platform: e.sink}
	e.lms.Log().Reset()
	plan, err := r.Plan(ctx, platformID, []string{course})
	if err != nil || len(plan) != 1 || !plan[0].Pending || e.lms.Log().Count(nil) != 1 {
		t.Fatalf("Plan = %+v, %v (%d calls)", plan, err, e.lms.Log().Count(nil))
	}
	e.lms.Log().Reset()
	done, err := r.Assign(ctx, platformID, []string{course, course})
	if err != nil || len(done) != 1 || !done[0].Assigned {
		t.Fatalf("Assign = %+v, %v", done, err)
	}
	entries := e.lms.Log().Entries()
	if len(entries) != 2 || entries[1].Method != http.MethodPost || entries[1].Query.Get("sendmessage") != "false" {
		t.Errorf("Assign's calls:\n%s", paths(e.lms))
	}
	if len(e.lms.Messages()) != 0 {
		t.Errorf("Litmos emailed: %+v", e.lms.Messages())
	}
	e.lms.Log().Reset()
	if done, err = r.Assign(ctx, platformID, []string{course}); err != nil || done[0].Assigned || e.lms.Log().Count(litmostest.IsWrite) != 0 {
		t.Errorf("a repeat: %+v, %v, %d writes", done, err, e.lms.Log().Count(litmostest.IsWrite))
	}
	e.lms.SetProgress(e.user["ana"], litmos.UserCourse{ID: course, PercentageComplete: 75})
	prog, err := r.Progress(ctx, platformID)
	if err != nil || len(prog) != 1 || prog[0].PercentageComplete != 75 || prog[0].Name != "Phishing" {
		t.Errorf("Progress = %+v, %v", prog, err)
	}
	if _, err := r.Assign(ctx, "no-such-user", []string{course}); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("an unknown platform user: %v", err)
	}
	if got := prog[0].State(); got != "already assigned, 75% complete" {
		t.Errorf("State = %q", got)
	}
	if got := (jobs.CourseAssignment{Complete: true}).State() + "|" + (jobs.CourseAssignment{Assigned: true}).State() + "|" + plan[0].State(); got != "already assigned, complete||" {
		t.Errorf("States = %q", got)
	}
	// By email (any case) and course id, through the platform's connector.
	u, err := r.PlatformUser(ctx, "ANA@example.com")
	if err != nil || u.ID != platformID {
		t.Errorf("PlatformUser = %+v, %v; want %s", u, err, platformID)
	}
	if _, err := r.PlatformUser(ctx, "nobody@example.com"); !errors.Is(err, syncengine.ErrNotFound) || !strings.Contains(err.Error(), "nobody@example.com") {
		t.Errorf("an unknown email: %v", err)
	}
	names, err := r.CourseNames(ctx, []string{course})
	if err != nil || names[course] != "Phishing" {
		t.Errorf("CourseNames = %v, %v", names, err)
	}
	rem, err := r.AssignByEmail(ctx, "ana@EXAMPLE.com", []string{course}, true)
	if err != nil || rem.User.ID != platformID || rem.Names[course] != "Phishing" || len(rem.Courses) != 1 || rem.Courses[0].Pending {
		t.Errorf("AssignByEmail = %+v, %v", rem, err)
	}
	if _, err := r.AssignByEmail(ctx, "nobody@example.com", []string{course}, false); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("AssignByEmail of an unknown email: %v", err)
	}
	if _, err := r.CourseNames(ctx, []string{course, "NOPE"}); !errors.Is(err, syncengine.ErrNotFound) || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("an unknown course: %v", err)
	}
}

// An assignment whose answer is lost (applied, then the connection cut) is
// sent again and Litmos keeps one assignment; a refused one fails clearly
// and assigns nothing.
func TestLitmosRemediationFaults(t *testing.T) {
	ctx := context.Background()
	e := newPlatformEnv(t, jobs.LitmosPlatformOptions{})
	if _, err := e.eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	course := e.lms.Courses()[0].ID
	r := &jobs.LitmosRemediation{Litmos: e.lms.NewClient(t), Store: e.store, Pair: e.eng.Pair(), Platform: e.sink}
	platformID := ""
	for _, u := range e.sink.Records(syncengine.Users) {
		if u.Fields["email"] == "bo@example.com" {
			platformID = u.ID
		}
	}
	e.lms.AddFault(litmostest.Fault{Method: http.MethodPost, ApplyThenDrop: true, Times: 1})
	done, err := r.Assign(ctx, platformID, []string{course})
	if err != nil || !done[0].Assigned {
		t.Fatalf("Assign after a lost answer = %+v, %v", done, err)
	}
	if got := e.lms.Assignments(e.user["bo"]); len(got) != 1 {
		t.Errorf("Litmos holds %d assignments, want 1", len(got))
	}
	e.lms.AddFault(litmostest.Fault{Method: http.MethodPost, Status: http.StatusBadRequest, Body: `{"Detail":"bad course"}`})
	if _, err := r.Assign(ctx, platformID, []string{e.lms.Courses()[1].ID}); err == nil || !strings.Contains(err.Error(), "bad course") {
		t.Errorf("a refused assignment: %v", err)
	}
	if got := e.lms.Assignments(e.user["bo"]); len(got) != 1 {
		t.Errorf("after a refusal Litmos holds %d assignments, want 1", len(got))
	}
}

func TestParseLitmosChoices(t *testing.T) {
	for in, want := range map[string]jobs.LitmosContent{"courses": jobs.LitmosCourses, " courses-and-users": jobs.LitmosCoursesAndUsers, "users": ""} {
		if got, err := jobs.ParseLitmosContent(in); got != want || (err == nil) != (want != "") {
			t.Errorf("ParseLitmosContent(%q) = %q, %v", in, got, err)
		}
	}
	for _, tc := range []struct {
		in   string
		want []string
		ok   bool
	}{{"all", nil, true}, {" Sales, Platform ,", []string{"Sales", "Platform"}, true}, {", ,", nil, false}} {
		if got, err := jobs.ParseLitmosTeams(tc.in); !slices.Equal(got, tc.want) || (err == nil) != tc.ok {
			t.Errorf("ParseLitmosTeams(%q) = %q, %v", tc.in, got, err)
		}
	}
}

// A linked user whose Litmos email turned invalid is a failing skip (a
// required field missing), not an update writing the bad address: the
// email check holds for the planner's values mapping as for Apply.
func TestLitmosPlatformLinkedInvalidEmail(t *testing.T) {
	ctx := context.Background()
	e := newPlatformEnv(t, jobs.LitmosPlatformOptions{})
	if _, err := e.eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	sinkID := e.sink.Put(syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{"email": "dee@example.com", "name": "dee Doe"}})
	if err := e.store.PutLink(ctx, e.eng.Pair(), syncengine.Link{Collection: syncengine.Users, AID: e.user["dee"], BID: sinkID}); err != nil {
		t.Fatal(err)
	}
	plan, err := e.eng.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range plan.Changes {
		if c.BID == sinkID {
			got = append(got, fmt.Sprintf("%s/%s, %d fields: %s", c.Action, c.Reason, len(c.Fields), c.Error))
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "skip/missing required field, 0 fields: ") || !strings.Contains(got[0], "not one address whose domain has a dot") {
		t.Errorf("dee's change = %q, want a skip naming the bad email, writing nothing\n%s", got, plan)
	}
}
