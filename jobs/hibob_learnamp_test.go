package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// lmsUser is what the job writes of a Learn Amp user, references by
// what they point at: the manager's email, the primary team's name.
type lmsUser struct {
	Email, FirstName, LastName, JobTitle, Location, Department, HireDate string
	External, Manager, Team                                              string
	Status                                                               learnamp.Status
	Secondary                                                            int
}

// lmsState is Learn Amp as the sync leaves it, by email.
func lmsState(lms *learnamptest.Server) map[string]lmsUser {
	emails, teams := map[string]string{}, map[string]string{}
	for _, u := range lms.Users() {
		emails[u.ID] = u.Email
	}
	for _, t := range lms.Teams() {
		teams[t.ID] = t.Name
	}
	out := map[string]lmsUser{}
	for _, u := range lms.Users() {
		out[u.Email] = lmsUser{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, JobTitle: u.JobTitle,
			Location: u.Location, Department: u.Department, HireDate: u.HireDate.String(), External: u.IntegrationExternalID,
			Manager: emails[u.ManagerID], Team: teams[u.PrimaryTeamID], Status: u.Status, Secondary: len(u.SecondaryTeamIDs)}
	}
	return out
}

// The first sync, field by field: a flat team per department (the child
// department Platform by its own name, no parent), everyone who has
// started created and invited with their fields, primary team and
// override manager in one create each; the leaver and the future starter
// are not created. HiBob is read with one search, the department list and
// the fields metadata; Learn Amp with one page of each listing.
func TestHiBobLearnAmpFirstSync(t *testing.T) {
	e := newBobEnv(t)
	e.calls()
	rep := e.sync(t)
	calls := e.calls()

	const (
		grace = "grace.hopper@example.com"
		ada   = "ada.lovelace@example.com"
		kath  = "katherine.johnson@example.com"
		alan  = "alan.turing@example.com"
		dot   = "dorothy.vaughan@example.com"
	)
	sent := learnamp.StatusInvitePending
	want := map[string]lmsUser{
		grace: {Email: grace, FirstName: "Grace", LastName: "Hopper", JobTitle: "CEO", Location: "London", Department: "Executive",
			HireDate: "2019-03-01", External: e.ids["ceo"], Team: "Executive", Status: sent},
		ada: {Email: ada, FirstName: "Ada", LastName: "Lovelace", JobTitle: "VP Engineering", Location: "London", Department: "Engineering",
			HireDate: "2020-01-06", External: e.ids["eng_manager"], Manager: grace, Team: "Engineering", Status: sent},
		kath: {Email: kath, FirstName: "Katherine", LastName: "Johnson", JobTitle: "VP Sales", Location: "New York", Department: "Sales",
			HireDate: "2020-02-03", External: e.ids["sales_manager"], Manager: grace, Team: "Sales", Status: sent},
		alan: {Email: alan, FirstName: "Alan", LastName: "Turing", JobTitle: "Software Engineer", Location: "London", Department: "Platform",
			HireDate: "2021-05-10", External: e.ids["engineer"], Manager: ada, Team: "Platform", Status: sent},
		dot: {Email: dot, FirstName: "Dorothy", LastName: "Vaughan", JobTitle: "Account Executive", Location: "New York", Department: "Sales",
			HireDate: "2022-09-12", External: e.ids["sales_rep"], Manager: kath, Team: "Sales", Status: sent},
	}
	if diff := cmp.Diff(want, lmsState(e.lms)); diff != "" {
		t.Errorf("Learn Amp users (-want +got):\n%s", diff)
	}
	var invited []string
	for _, inv := range e.lms.Invitations() {
		invited = append(invited, inv.Email)
	}
	slices.Sort(invited) // managers first, the rest in any order
	if diff := cmp.Diff([]string{ada, alan, dot, grace, kath}, invited); diff != "" {
		t.Errorf("invitations (-want +got):\n%s", diff)
	}

	wantTeams := map[string]string{e.dept(t, "Engineering"): "Engineering", e.dept(t, "Platform"): "Platform",
		e.dept(t, "Executive"): "Executive", e.dept(t, "Sales"): "Sales"}
	gotTeams := map[string]string{}
	for _, tm := range e.lms.Teams() {
		gotTeams[tm.IntegrationExternalID] = tm.Name
		if tm.ParentTeamID != "" {
			t.Errorf("team %s has parent %s: teams are flat", tm.Name, tm.ParentTeamID)
		}
	}
	if diff := cmp.Diff(wantTeams, gotTeams); diff != "" {
		t.Errorf("Learn Amp teams by integrationExternalId (-want +got):\n%s", diff)
	}

	wantRows := map[string]syncengine.Result{e.ids["leaver"]: syncengine.ResultSkipped, e.ids["future_starter"]: syncengine.ResultSkipped}
	for id := range wantTeams {
		wantRows[id] = syncengine.ResultCreated
	}
	for _, role := range []string{"ceo", "eng_manager", "sales_manager", "engineer", "sales_rep"} {
		wantRows[e.ids[role]] = syncengine.ResultCreated
	}
	gotRows := map[string]syncengine.Result{}
	for _, o := range rep.Outcomes {
		gotRows[o.AID] = o.Result
	}
	if diff := cmp.Diff(wantRows, gotRows); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if r := row(t, rep, e.ids["leaver"]); r.Name != "Mary Jackson" || !strings.Contains(r.Detail, "left HiBob") {
		t.Errorf("leaver row = %+v", r)
	}
	if r := row(t, rep, e.ids["future_starter"]); r.Reason != syncengine.ReasonNotStarted || r.Due != "is created on 2026-07-31" {
		t.Errorf("future starter row = %+v", r)
	}
	if r := row(t, rep, e.ids["ceo"]); r.Name != "Grace Hopper" || r.Key != "grace.hopper@example.com" || r.BID == "" {
		t.Errorf("ceo row = %+v", r)
	}

	if want := (bobCalls{Search: 1, HRLists: 1, HRFields: 1, LMSReads: 2, LMSWrites: 4 + 5, Tokens: 1}); calls != want {
		t.Errorf("first sync calls %+v, want %+v (4 team and 5 user creates, each carrying its team and manager)", calls, want)
	}
}

// A rerun plans nothing and writes nothing: one search and the department
// list in HiBob (the metadata is in the Store's cache), one page of each
// listing in Learn Amp.
func TestHiBobLearnAmpRerunWritesNothing(t *testing.T) {
	e := newBobEnv(t)
	e.sync(t)
	e.calls()
	if p := e.plan(t); p.HasChanges() {
		t.Errorf("plan after a sync has changes:\n%s", p)
	}
	rep := e.sync(t)
	if c := rep.Counts; c[syncengine.ResultCreated]+c[syncengine.ResultUpdated]+c[syncengine.ResultDeactivated] != 0 || rep.Failed() {
		t.Errorf("rerun: %s", rep.Summary())
	}
	if c, want := e.calls(), (bobCalls{Search: 2, HRLists: 2, LMSReads: 4}); c != want {
		t.Errorf("plan and rerun: %+v, want %+v (no write)", c, want)
	}
}

// One change in HiBob is one write in Learn Amp, of that user alone.
func TestHiBobLearnAmpChanges(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		change     func(t *testing.T, e *bobEnv)
		role       string
		wantResult syncengine.Result
		wantFields []string
		wantCall   func(e *bobEnv, id string) string
		check      func(t *testing.T, e *bobEnv, u learnamptest.User)
	}{{
		name: "title change",
		change: func(t *testing.T, e *bobEnv) {
			work(t, e, "engineer", hibob.WorkEntry{Title: e.hr.AddTitle("Staff Engineer")})
		},
		role: "engineer", wantResult: syncengine.ResultUpdated, wantFields: []string{"jobTitle"},
		wantCall: func(e *bobEnv, id string) string { return "PUT /v1/users/" + id },
		check: func(t *testing.T, e *bobEnv, u learnamptest.User) {
			if u.JobTitle != "Staff Engineer" || u.Status == learnamp.StatusDeactivated {
				t.Errorf("user = %+v, want the title's name", u)
			}
		},
	}, {
		name: "department move",
		change: func(t *testing.T, e *bobEnv) {
			work(t, e, "engineer", hibob.WorkEntry{Department: e.dept(t, "Sales")})
		},
		role: "engineer", wantResult: syncengine.ResultUpdated, wantFields: []string{"department", "teams"},
		wantCall: func(e *bobEnv, id string) string { return "PUT /v1/users/" + id },
		check: func(t *testing.T, e *bobEnv, u learnamptest.User) {
			if sales := e.team(t, e.dept(t, "Sales")); u.PrimaryTeamID != sales.ID || u.Department != "Sales" || len(u.SecondaryTeamIDs) != 0 {
				t.Errorf("user = %+v, want Sales (%s) as the only team", u, sales.ID)
			}
		},
	}, {
		name: "new manager",
		change: func(t *testing.T, e *bobEnv) {
			work(t, e, "engineer", hibob.WorkEntry{ManagerID: e.ids["ceo"]})
		},
		role: "engineer", wantResult: syncengine.ResultUpdated, wantFields: []string{"manager"},
		wantCall: func(e *bobEnv, id string) string { return "PUT /v1/users/" + id },
		check: func(t *testing.T, e *bobEnv, u learnamptest.User) {
			if u.ManagerID != e.user(t, "ceo").ID {
				t.Errorf("manager = %s, want the CEO's user", u.ManagerID)
			}
		},
	}, {
		name:   "termination dated yesterday",
		change: func(t *testing.T, e *bobEnv) { e.hr.Terminate(e.ids["engineer"], "2026-05-31") },
		role:   "engineer", wantResult: syncengine.ResultDeactivated,
		wantCall: func(e *bobEnv, id string) string { return "PUT /v1/users/" + id + "/deactivate" },
		check: func(t *testing.T, e *bobEnv, u learnamptest.User) {
			if u.Status != learnamp.StatusDeactivated {
				t.Errorf("status = %s, want deactivated", u.Status)
			}
		},
	}, {
		name:   "deleted from HiBob",
		change: func(t *testing.T, e *bobEnv) { e.hr.DeleteEmployee(e.ids["sales_rep"]) },
		role:   "sales_rep", wantResult: syncengine.ResultDeactivated,
		wantCall: func(e *bobEnv, id string) string { return "PUT /v1/users/" + id + "/deactivate" },
		check: func(t *testing.T, e *bobEnv, u learnamptest.User) {
			if u.Status != learnamp.StatusDeactivated {
				t.Errorf("status = %s, want deactivated (never deleted)", u.Status)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newBobEnv(t)
			e.sync(t)
			tt.change(t, e)
			e.calls()
			rep, err := e.eng.Sync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			u := e.user(t, tt.role)
			r := row(t, rep, e.ids[tt.role])
			if r.Result != tt.wantResult || !cmp.Equal(r.Fields, tt.wantFields) {
				t.Errorf("row = %+v, want %s of %v", r, tt.wantResult, tt.wantFields)
			}
			if n := rep.Counts[syncengine.ResultUpdated] + rep.Counts[syncengine.ResultDeactivated] + rep.Counts[syncengine.ResultCreated]; n != 1 {
				t.Errorf("%d changes, want 1: %s", n, rep.Summary())
			}
			want := []string{"GET /v1/teams", "GET /v1/users", tt.wantCall(e, u.ID)}
			if diff := cmp.Diff(want, e.lmsCalls()); diff != "" {
				t.Errorf("Learn Amp calls (-want +got):\n%s", diff)
			}
			tt.check(t, e, u)
			if n := len(e.lms.Users()); n != 5 {
				t.Errorf("Learn Amp has %d users, want 5", n)
			}
		})
	}
}

// work adds a work entry effective today for the employee of role.
func work(t testing.TB, e *bobEnv, role string, w hibob.WorkEntry) {
	t.Helper()
	workID(t, e, e.ids[role], w)
}

// workID adds a work entry effective today for employee id.
func workID(t testing.TB, e *bobEnv, id string, w hibob.WorkEntry) {
	t.Helper()
	w.EffectiveDate = e.clock.Now()
	if _, err := e.hr.NewClient(t).AddWorkEntry(context.Background(), id, w); err != nil {
		t.Fatal(err)
	}
}

// A rehired leaver is reactivated, with one call.
func TestHiBobLearnAmpRehire(t *testing.T) {
	e := newBobEnv(t)
	e.hr.Terminate(e.ids["engineer"], "2026-05-29")
	e.lms.AddUser(learnamptest.User{Email: "alan.turing@example.com", FirstName: "Alan", LastName: "Turing",
		IntegrationExternalID: e.ids["engineer"], Status: learnamp.StatusDeactivated})
	e.sync(t)
	if u := e.user(t, "engineer"); u.Status != learnamp.StatusDeactivated {
		t.Fatalf("leaver's account %s, want it left deactivated", u.Status)
	}
	e.hr.Terminate(e.ids["engineer"], "2026-12-31") // the termination moved out: employed again
	rep := e.sync(t)
	if r := row(t, rep, e.ids["engineer"]); r.Result != syncengine.ResultReactivated {
		t.Errorf("row = %+v, want reactivated", r)
	}
	if u := e.user(t, "engineer"); u.Status == learnamp.StatusDeactivated || u.PrimaryTeamID != e.team(t, e.dept(t, "Platform")).ID {
		t.Errorf("rehired: %+v, want active in Platform", u)
	}
}

// An account made in Learn Amp before the job, with the email in another
// case, is adopted (its integrationExternalId set), not duplicated, and
// not invited again; users and teams with no HiBob counterpart are never
// touched, and nothing is deleted.
func TestHiBobLearnAmpAdoptsAndLeavesOthersAlone(t *testing.T) {
	e := newBobEnv(t)
	adopted := e.lms.AddUser(learnamptest.User{Email: "Alan.Turing@Example.COM", FirstName: "Al", LastName: "Turing",
		JobTitle: "Codebreaker", Status: learnamp.StatusConfirmed})
	handTeam := e.lms.AddTeam(learnamptest.Team{Name: "Book club"})
	contractor := e.lms.AddUser(learnamptest.User{Email: "cy@contractor.example", FirstName: "Cy", LastName: "Tor",
		JobTitle: "Contractor", PrimaryTeamID: handTeam})
	before, _ := e.lms.User(contractor)
	e.calls()
	rep := e.sync(t)
	if r := row(t, rep, e.ids["engineer"]); r.Result != syncengine.ResultUpdated || r.BID != adopted {
		t.Errorf("row = %+v, want the existing user %s updated", r, adopted)
	}
	u, _ := e.lms.User(adopted)
	if u.IntegrationExternalID != e.ids["engineer"] || u.FirstName != "Alan" || u.JobTitle != "Software Engineer" ||
		u.Status != learnamp.StatusConfirmed {
		t.Errorf("adopted user = %+v", u)
	}
	for _, inv := range e.lms.Invitations() {
		if strings.EqualFold(inv.Email, "alan.turing@example.com") {
			t.Error("an adopted account was invited again")
		}
	}
	if n := len(e.lms.Users()); n != 6 {
		t.Errorf("Learn Amp has %d users, want 6 (5 from HiBob, one of them adopted, and the contractor)", n)
	}
	if after, _ := e.lms.User(contractor); !cmp.Equal(before, after) {
		t.Errorf("the contractor changed (-before +after):\n%s", cmp.Diff(before, after))
	}
	if tm, ok := e.lms.Team(handTeam); !ok || tm.Name != "Book club" || tm.IntegrationExternalID != "" {
		t.Errorf("the hand-made team changed: %+v", tm)
	}
	for _, en := range e.lms.Log().Entries() {
		if en.Method == "DELETE" {
			t.Errorf("deleted in Learn Amp: %s", en.Path)
		}
	}
	for _, en := range e.hr.Log().Entries() {
		if en.Method != "GET" && en.Path != "/v1/people/search" {
			t.Errorf("wrote to HiBob (or read other than by search): %s %s", en.Method, en.Path)
		}
	}
}

// The link, and without it the integrationExternalId, ties an employee
// to their user: a new work email renames the user, never duplicates it,
// even when the pair's state is lost.
func TestHiBobLearnAmpEmailChange(t *testing.T) {
	for _, lostState := range []bool{false, true} {
		t.Run(map[bool]string{false: "linked", true: "state lost"}[lostState], func(t *testing.T) {
			e := newBobEnv(t)
			e.sync(t)
			id := e.user(t, "engineer").ID
			e.hr.SetEmail(e.ids["engineer"], "Alan.M.Turing@example.com")
			if lostState {
				e.store = syncengine.NewMemoryStore()
				e = e.reopen(t)
			}
			rep := e.sync(t)
			if r := row(t, rep, e.ids["engineer"]); r.Result != syncengine.ResultUpdated || !cmp.Equal(r.Fields, []string{"email"}) || r.BID != id {
				t.Errorf("row = %+v, want the email of %s updated", r, id)
			}
			if u := e.user(t, "engineer"); u.ID != id || u.Email != "alan.m.turing@example.com" {
				t.Errorf("user = %+v, want %s renamed", u, id)
			}
			if n := len(e.lms.Users()); n != 5 {
				t.Errorf("Learn Amp has %d users, want 5", n)
			}
		})
	}
}

// reopen builds a new engine on e's fakes and store, as a new process would.
func (e *bobEnv) reopen(t *testing.T) *bobEnv {
	t.Helper()
	cfg, err := jobs.HiBobLearnAmp(e.hr.NewClient(t), e.lms.NewClient(t), jobs.HiBobLearnAmpOptions{Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = e.store
	eng, err := syncengine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	n := *e
	n.eng, n.q = eng, eng.NewQueue(syncengine.QueueOptions{})
	return &n
}

// Someone whose work email is no address fails alone, naming the field;
// the others are created.
func TestHiBobLearnAmpBadEmailFailsAlone(t *testing.T) {
	e := newBobEnv(t)
	noor := e.hr.AddEmployee(hibobtest.Employee{FirstName: "Noor", Surname: "Haddad", Email: "noor@", Department: "Sales"})
	rep := e.sync(t)
	if r := row(t, rep, noor); r.Result != syncengine.ResultFailed || !strings.Contains(r.Detail, hibob.FieldEmail) ||
		r.Name != "Noor Haddad" {
		t.Errorf("row = %+v, want failed naming %s", r, hibob.FieldEmail)
	}
	if n := rep.Counts[syncengine.ResultCreated]; n != 4+5 {
		t.Errorf("%d created, want the 4 teams and 5 users: %s", n, rep.Summary())
	}
	if !rep.Failed() {
		t.Error("Report.Failed() = false with a failed employee")
	}
}

// A run that would deactivate more than 10 users is held back, whole.
func TestHiBobLearnAmpThreshold(t *testing.T) {
	e := newBobEnv(t)
	var staff []string
	for i := range 12 {
		staff = append(staff, e.hr.AddEmployee(hibobtest.Employee{FirstName: "Emp", Surname: itoa(i),
			Email: "emp" + itoa(i) + "@example.com", Department: "Sales"}))
	}
	e.sync(t)
	for _, id := range staff[:11] {
		e.hr.Terminate(id, "2026-05-31")
	}
	e.calls()
	rep, err := e.eng.Sync(context.Background())
	if !errors.Is(err, syncengine.ErrThresholdExceeded) || rep == nil || rep.Held == nil || rep.Held.Deactivations != 11 {
		t.Fatalf("Sync: %v, %+v; want 11 deactivations held", err, rep)
	}
	if c := e.calls(); c.LMSWrites != 0 {
		t.Errorf("a held run wrote %d times", c.LMSWrites)
	}
}

// Bad options are refused, naming what is wrong.
func TestHiBobLearnAmpOptionErrors(t *testing.T) {
	hr, lms := hibobtest.NewServer(t), learnamptest.NewServer(t)
	twoFields, err := mapping.Load([]byte(`{"name": "two-teams", "rules": [
		{"target": "integrationExternalId", "source": "root.id", "required": true},
		{"target": "teams", "sources": ["work.department.id", "work.title.id"], "transforms": ["coalesce", {"name": "reference", "args": {"collection": "teams"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		hr   *hibob.Client
		o    jobs.HiBobLearnAmpOptions
		want string
	}{
		{"no clients", nil, jobs.HiBobLearnAmpOptions{}, "needs a HiBob and a Learn Amp client"},
		{"invite policy", hr.NewClient(t), jobs.HiBobLearnAmpOptions{Invite: "later"}, `invite policy "later": want "start-date", "now" or "never"`},
		{"teams from two fields", hr.NewClient(t), jobs.HiBobLearnAmpOptions{Map: twoFields},
			`the "teams" rule reads work.department.id, work.title.id`},
	} {
		var lc *learnamp.Client
		if tt.hr != nil {
			lc = lms.NewClient(t)
		}
		if _, err := jobs.HiBobLearnAmp(tt.hr, lc, tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one with %q", tt.name, err, tt.want)
		}
	}
	for _, s := range []string{"", "start-date", "now", "never"} {
		if _, err := jobs.ParseInvitePolicy(s); err != nil {
			t.Errorf("ParseInvitePolicy(%q): %v", s, err)
		}
	}
}

// A manager with no Learn Amp user (a leaver, never created) is reported
// on the report's row and not written; the user is created without one,
// and later runs write nothing for it.
func TestHiBobLearnAmpManagerNotInLearnAmp(t *testing.T) {
	e := newBobEnv(t)
	zed := e.hr.AddEmployee(hibobtest.Employee{FirstName: "Zed", Surname: "Ode", Email: "zed@example.com",
		Department: "Sales", ManagerID: e.ids["leaver"]})
	rep := e.sync(t)
	r := row(t, rep, zed)
	if r.Result != syncengine.ResultCreated || !strings.Contains(r.Note, "manager not written") || !strings.Contains(r.Note, e.ids["leaver"]) {
		t.Errorf("row = %+v, want created with a note on the manager", r)
	}
	if u, ok := e.lms.UserByExternalID(zed); !ok || u.ManagerID != "" {
		t.Errorf("user %+v, want no manager", u)
	}
	e.calls()
	e.sync(t)
	if c := e.calls(); c.LMSWrites != 0 {
		t.Errorf("the rerun wrote %d times", c.LMSWrites)
	}
}
