package jobs_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// company seeds a manager, a report, an employee without Litmos Access,
// one without a work email, a terminated and an inactive one.
type company struct {
	boss, report, noAccess, noEmail, terminated, inactive string
}

func seedCompany(e *env) company {
	var c company
	c.boss = e.employee("Zoë", "Ñúñez-O'Brien", "  Zoe.Nunez@Acme.example ", map[string]string{"jobTitle": "VP Engineering"})
	c.report = e.employee("Bo", "Chen", "bo.chen@acme.example", map[string]string{"supervisorEId": c.boss, "address2": "Suite 4"})
	c.noAccess = e.employee("Nia", "Okafor", "nia@acme.example", map[string]string{bamboohrtest.LitmosAccessAlias: "no"})
	c.noEmail = e.employee("Cy", "Park", "", nil)
	c.terminated = e.employee("Di", "Moreau", "di@acme.example", map[string]string{
		"status": "Inactive", "employmentHistoryStatus": "Terminated", "terminationDate": "2026-01-31"})
	c.inactive = e.employee("Ed", "Silva", "ed@acme.example", map[string]string{"status": "Inactive"})
	return c
}

func TestFirstSync(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	rep := e.sync(t)

	boss := e.learner(t, "zoe.nunez@acme.example")
	report := e.learner(t, "bo.chen@acme.example")
	want := []litmos.User{
		{UserName: "zoe.nunez@acme.example", Email: "zoe.nunez@acme.example", FirstName: "Zoë", LastName: "Ñúñez-O'Brien",
			AccessLevel: "Learner", Active: true, PhoneWork: "+1 555 0100", PhoneMobile: "+1 555 0199",
			Street1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "United States",
			JobTitle: "VP Engineering", ExternalEmployeeID: c.boss},
		{UserName: "bo.chen@acme.example", Email: "bo.chen@acme.example", FirstName: "Bo", LastName: "Chen",
			AccessLevel: "Learner", Active: true, PhoneWork: "+1 555 0100", PhoneMobile: "+1 555 0199",
			Street1: "1 Main St", Street2: "Suite 4", City: "Springfield", State: "IL", PostalCode: "62701",
			Country: "United States", JobTitle: "Engineer", ExternalEmployeeID: c.report, ManagerID: boss.ID},
	}
	got := []litmos.User{syncedFields(boss), syncedFields(report)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("learners (-want +got):\n%s", diff)
	}
	if n := len(e.lms.Users()); n != 2 {
		t.Errorf("Litmos has %d users, want 2 (no access, no email, terminated and inactive are not created)", n)
	}
	if m := e.lms.Messages(); len(m) != 0 {
		t.Errorf("Litmos emailed people: %+v", m)
	}

	wantRows := map[string]syncengine.Result{
		c.boss: syncengine.ResultCreated, c.report: syncengine.ResultCreated, c.noEmail: syncengine.ResultFailed,
		c.terminated: syncengine.ResultSkipped, c.inactive: syncengine.ResultSkipped,
	}
	gotRows := map[string]syncengine.Result{}
	for _, r := range rep.Outcomes {
		gotRows[r.AID] = r.Result
	}
	if diff := cmp.Diff(wantRows, gotRows); diff != "" {
		t.Errorf("report actions by employee (-want +got):\n%s", diff)
	}
	if r := rowOf(t, rep, c.boss); r.Name != "Zoë Ñúñez-O'Brien" || r.Key != "zoe.nunez@acme.example" || r.BID != boss.ID {
		t.Errorf("boss row = %+v", r)
	}
	if r := rowOf(t, rep, c.noEmail); !strings.Contains(r.Detail, "workEmail") || r.Name != "Cy Park" {
		t.Errorf("no-email row = %+v, want a reason naming workEmail", r)
	}
	if r := rowOf(t, rep, c.terminated); !strings.Contains(r.Detail, "inactive or terminated") {
		t.Errorf("terminated row = %+v", r)
	}
}

// syncedFields keeps the fields the job writes.
func syncedFields(u litmos.User) litmos.User {
	return litmos.User{UserName: u.UserName, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		AccessLevel: u.AccessLevel, Active: u.Active, PhoneWork: u.PhoneWork, PhoneMobile: u.PhoneMobile,
		Street1: u.Street1, Street2: u.Street2, City: u.City, State: u.State, PostalCode: u.PostalCode,
		Country: u.Country, JobTitle: u.JobTitle, ExternalEmployeeID: u.ExternalEmployeeID, ManagerID: u.ManagerID}
}

func TestResyncWritesNothing(t *testing.T) {
	e := newEnv(t)
	seedCompany(e)
	e.sync(t)
	e.lms.Log().Reset()

	p, err := e.job.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("plan after a sync has changes:\n%s", p)
	}
	rep := e.sync(t)
	if n := e.writes(); n != 0 {
		t.Errorf("re-sync made %d write calls to Litmos, want 0: %+v", n, e.lms.Log().Entries())
	}
	c := rep.Counts
	if c[syncengine.ResultCreated]+c[syncengine.ResultUpdated]+c[syncengine.ResultDeactivated] != 0 {
		t.Errorf("re-sync report: %s", rep.Summary())
	}
}

func TestChangesFlowThrough(t *testing.T) {
	tests := []struct {
		name       string
		change     func(e *env, c company)
		employee   func(c company) string
		wantAction syncengine.Result
		wantFields []string
		wantReason string
		check      func(t *testing.T, u litmos.User)
	}{{
		name:       "update",
		change:     func(e *env, c company) { e.hr.SetField(atoi(c.report), "jobTitle", "Staff Engineer") },
		employee:   func(c company) string { return c.report },
		wantAction: syncengine.ResultUpdated, wantFields: []string{"JobTitle"},
		check: func(t *testing.T, u litmos.User) {
			if u.JobTitle != "Staff Engineer" || !u.Active || u.Street2 != "Suite 4" {
				t.Errorf("learner = %+v, want the new job title and the other fields kept", syncedFields(u))
			}
		},
	}, {
		name:       "termination",
		change:     func(e *env, c company) { e.hr.Terminate(atoi(c.report), "2026-11-30") },
		employee:   func(c company) string { return c.report },
		wantAction: syncengine.ResultDeactivated, wantReason: "terminated",
		check: func(t *testing.T, u litmos.User) {
			if u.Active {
				t.Error("terminated employee's learner is still active")
			}
		},
	}, {
		name: "inactive",
		change: func(e *env, c company) {
			e.hr.SetField(atoi(c.report), "status", "Inactive")
		},
		employee:   func(c company) string { return c.report },
		wantAction: syncengine.ResultDeactivated, wantReason: "inactive",
		check: func(t *testing.T, u litmos.User) {
			if u.Active {
				t.Error("inactive employee's learner is still active")
			}
		},
	}, {
		name: "work email case change keeps the learner",
		change: func(e *env, c company) {
			e.hr.SetField(atoi(c.report), "workEmail", "Bo.Chen@ACME.example")
		},
		employee:   func(c company) string { return c.report },
		wantAction: syncengine.ResultUnchanged,
		check:      func(t *testing.T, u litmos.User) {},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := seedCompany(e)
			e.sync(t)
			tt.change(e, c)
			rep := e.sync(t)
			row := rowOf(t, rep, tt.employee(c))
			if row.Result != tt.wantAction || !cmp.Equal(row.Fields, tt.wantFields) || !strings.Contains(row.Detail, tt.wantReason) {
				t.Errorf("row = %+v, want action %s fields %v reason with %q", row, tt.wantAction, tt.wantFields, tt.wantReason)
			}
			tt.check(t, e.learner(t, "bo.chen@acme.example"))
			if n := len(e.lms.Users()); n != 2 {
				t.Errorf("Litmos has %d users, want 2", n)
			}
		})
	}
}

func TestRehireReactivates(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	e.sync(t)
	e.hr.Terminate(atoi(c.report), "2026-11-30")
	e.sync(t)
	e.hr.SetField(atoi(c.report), "status", "Active")
	e.hr.SetField(atoi(c.report), "employmentHistoryStatus", "Full-Time")
	rep := e.sync(t)
	if row := rowOf(t, rep, c.report); row.Result != syncengine.ResultReactivated {
		t.Errorf("row = %+v, want reactivated", row)
	}
	if !e.learner(t, "bo.chen@acme.example").Active {
		t.Error("rehired employee's learner is inactive")
	}
}

func TestLosingAccess(t *testing.T) {
	tests := []struct {
		policy     syncengine.OutOfScopePolicy
		wantActive bool
		wantAction syncengine.Result
	}{
		{"", false, syncengine.ResultDeactivated}, // the default
		{syncengine.DeactivateOutOfScope, false, syncengine.ResultDeactivated},
		{syncengine.IgnoreOutOfScope, true, syncengine.ResultSkipped},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			e := newEnv(t, func(cfg *setup) {
				cfg.OutOfScope = tt.policy
				cfg.Threshold = syncengine.Threshold{MaxPercent: 100}
			})
			c := seedCompany(e)
			e.sync(t)
			e.hr.SetField(atoi(c.report), bamboohrtest.LitmosAccessAlias, "no")
			rep := e.sync(t)
			row := rowOf(t, rep, c.report)
			if row.Result != tt.wantAction || row.Name != "Bo Chen" || !strings.Contains(row.Detail, "Litmos Access") {
				t.Errorf("row = %+v, want %s with a reason naming Litmos Access", row, tt.wantAction)
			}
			if got := e.learner(t, "bo.chen@acme.example").Active; got != tt.wantActive {
				t.Errorf("learner active = %v, want %v", got, tt.wantActive)
			}
		})
	}
}

func TestApplyOnlySelectedEmployees(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	ctx := context.Background()
	p, err := e.job.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.job.Apply(ctx, p, c.report, c.noAccess); err == nil || !strings.Contains(err.Error(), c.noAccess) {
		t.Fatalf("Apply with an id not in the plan: err = %v, want one naming %s", err, c.noAccess)
	}
	if n := e.writes(); n != 0 {
		t.Fatalf("a refused Apply wrote %d times", n)
	}
	rep, err := e.job.Apply(ctx, p, c.report)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Outcomes) != 1 || rep.Outcomes[0].Result != syncengine.ResultCreated || rep.Outcomes[0].AID != c.report {
		t.Errorf("rows = %+v, want only %s created", rep.Outcomes, c.report)
	}
	if got := usernames(e.lms); !cmp.Equal(got, map[string]int{"bo.chen@acme.example": 1}) {
		t.Errorf("Litmos users = %v, want only bo.chen", got)
	}
	// The rest follows on the next run, and with the manager imported the
	// selected employee's manager is filled in.
	rep = e.sync(t)
	if row := rowOf(t, rep, c.report); row.Result != syncengine.ResultUpdated || !cmp.Equal(row.Fields, []string{"manager"}) {
		t.Errorf("selected employee on the next run: %+v, want its manager written", row)
	}
	if row := rowOf(t, rep, c.boss); row.Result != syncengine.ResultCreated {
		t.Errorf("boss on the next run: %+v", row)
	}
}

func TestMissingWorkEmailFailsAlone(t *testing.T) {
	e := newEnv(t)
	ids := e.staff(3)
	bad := e.employee("Cy", "Park", "", nil)
	invalid := e.employee("Al", "Bad", "al@", nil)
	rep := e.sync(t)
	for _, id := range []string{bad, invalid} {
		row := rowOf(t, rep, id)
		if row.Result != syncengine.ResultFailed || !strings.Contains(row.Detail, "workEmail") {
			t.Errorf("employee %s: row = %+v, want failed naming workEmail", id, row)
		}
	}
	for _, id := range ids {
		if row := rowOf(t, rep, id); row.Result != syncengine.ResultCreated {
			t.Errorf("employee %s: %+v, want created", id, row)
		}
	}
	if !rep.Failed() {
		t.Error("Report.Failed() = false with a failed employee")
	}
}

func TestThresholdStopsRun(t *testing.T) {
	e := newEnv(t, func(cfg *setup) {
		cfg.Threshold = syncengine.Threshold{MaxCount: 2}
	})
	ids := e.staff(10)
	e.sync(t)
	for _, id := range ids[:3] {
		e.hr.SetField(atoi(id), bamboohrtest.LitmosAccessAlias, "no")
	}
	e.lms.Log().Reset()
	rep, err := e.job.Sync(context.Background())
	if !errors.Is(err, syncengine.ErrThresholdExceeded) {
		t.Fatalf("Sync err = %v, want ErrThresholdExceeded", err)
	}
	if rep == nil || rep.Held == nil || rep.Held.Deactivations != 3 {
		t.Fatalf("report = %+v, want 3 deactivations held", rep)
	}
	if n := e.writes(); n != 0 {
		t.Errorf("held run wrote %d times", n)
	}
	for _, u := range e.lms.Users() {
		if !u.Active {
			t.Errorf("learner %s was deactivated by a held run", u.UserName)
		}
	}
	if c := rep.Counts; c[syncengine.ResultDeactivated] != 0 {
		t.Errorf("report says %d deactivated", c[syncengine.ResultDeactivated])
	}
	// Reviewed and allowed, the plan deactivates all three.
	p, err := e.job.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err = e.job.Apply(context.Background(), p.AllowDeactivations())
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Counts; c[syncengine.ResultDeactivated] != 3 {
		t.Errorf("allowed run: %s", rep.Summary())
	}
}

func TestPresetRequiresClients(t *testing.T) {
	if _, err := jobs.BambooHRLitmos(nil, nil, jobs.BambooHRLitmosOptions{}); err == nil {
		t.Error("BambooHRLitmos with no clients: no error")
	}
}

func TestDefaultStoreIsFileStore(t *testing.T) {
	dir := t.TempDir()
	hr := bamboohrtest.NewServer(t)
	lms := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	hr.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@acme.example",
		bamboohrtest.LitmosAccessAlias: "yes"})
	open := func() *syncengine.Engine {
		cfg, err := jobs.BambooHRLitmos(hr.NewClient(t), lms.NewClient(t), jobs.BambooHRLitmosOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cfg.StateDir = dir
		j, err := syncengine.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	j := open()
	if _, err := j.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	// A new process (a new Job on the same directory) knows the link.
	j = open()
	defer j.Close()
	p, err := j.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("plan from the reopened state has changes:\n%s", p)
	}
	if len(lms.Users()) != 1 {
		t.Errorf("Litmos has %d users", len(lms.Users()))
	}
}

// SyncEmployees reads each employee afresh: one deleted from BambooHR, or
// one unknown, is out of scope; an employee who never had Litmos Access is
// skipped, not created.
func TestSyncEmployees(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	e.sync(t)
	e.hr.DeleteEmployee(atoi(c.report))
	rep, err := e.job.SyncEmployees(context.Background(), []string{c.report, c.noAccess, "99999"})
	if err != nil {
		t.Fatal(err)
	}
	if row := rowOf(t, rep, c.report); row.Result != syncengine.ResultDeactivated || row.Name != "Bo Chen" {
		t.Errorf("deleted employee: %+v, want deactivated", row)
	}
	if e.learner(t, "bo.chen@acme.example").Active {
		t.Error("deleted employee's learner is still active")
	}
	if _, ok := e.lms.UserByUsername("nia@acme.example"); ok {
		t.Error("an employee without Litmos Access got a learner")
	}
	for _, r := range rep.Outcomes {
		if r.AID == c.noAccess && r.Result != syncengine.ResultSkipped {
			t.Errorf("no-access employee: %+v", r)
		}
	}
}

// Learners made before the job (by hand, or by Litmos's own BambooHR
// integration) are adopted by username in any case, not duplicated; other
// Litmos users are left alone.
func TestAdoptsExistingLearners(t *testing.T) {
	e := newEnv(t)
	existing := e.lms.AddUser(litmos.User{UserName: "BO.CHEN@ACME.EXAMPLE", Email: "bo.chen@acme.example",
		FirstName: "Bob", LastName: "Chen", AccessLevel: "Team_Leader", Active: true})
	contractor := e.lms.AddUser(litmos.User{UserName: "contractor@other.example", FirstName: "Cy", LastName: "Tor", Active: true})
	c := seedCompany(e)
	rep := e.sync(t)
	if row := rowOf(t, rep, c.report); row.Result != syncengine.ResultUpdated || row.BID != existing.ID {
		t.Errorf("row = %+v, want the existing learner %s updated", row, existing.ID)
	}
	u, _ := e.lms.User(existing.ID)
	if u.FirstName != "Bo" || u.UserName != "bo.chen@acme.example" || u.AccessLevel != "Team_Leader" {
		t.Errorf("adopted learner = %+v, want BambooHR's name and username, its access level kept", syncedFields(u))
	}
	if got := usernames(e.lms); got["bo.chen@acme.example"] != 1 || len(got) != 3 {
		t.Errorf("usernames = %v", got)
	}
	if u, _ := e.lms.User(contractor.ID); !u.Active || u.FirstName != "Cy" {
		t.Errorf("a Litmos user not from BambooHR was changed: %+v", syncedFields(u))
	}
}

// The link, not the email, ties an employee to their learner: a new work
// email renames the learner.
func TestWorkEmailChangeRenames(t *testing.T) {
	e := newEnv(t)
	c := seedCompany(e)
	e.sync(t)
	id := e.learner(t, "bo.chen@acme.example").ID
	e.hr.SetField(atoi(c.report), "workEmail", "bo.c@acme.example")
	rep := e.sync(t)
	if row := rowOf(t, rep, c.report); row.Result != syncengine.ResultUpdated || !cmp.Equal(row.Fields, []string{"Email", "UserName"}) {
		t.Errorf("row = %+v, want Email and UserName updated", row)
	}
	if u := e.learner(t, "bo.c@acme.example"); u.ID != id {
		t.Errorf("renamed learner has id %s, want %s", u.ID, id)
	}
	if n := len(e.lms.Users()); n != 2 {
		t.Errorf("Litmos has %d users, want 2", n)
	}
}

// A plan applied after it went stale is checked against Litmos first, and
// the PUT goes out on what that check read: an admin's edit made after
// the plan's listing, to a field the pair does not own, survives.
func TestStalePlanKeepsAdminEdit(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, func(s *setup) { s.Now = func() time.Time { return now } })
	c := seedCompany(e)
	e.sync(t)
	e.hr.SetField(atoi(c.report), "jobTitle", "Staff Engineer")
	p, err := e.job.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := e.learner(t, "bo.chen@acme.example").ID
	if _, err := e.lms.NewClient(t).UpdateUser(ctx, id, func(u *litmos.User) error { u.Skype = "bo.chen"; return nil }); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour) // past FreshFor
	if _, err := e.job.Apply(ctx, p); err != nil {
		t.Fatal(err)
	}
	if u := e.learner(t, "bo.chen@acme.example"); u.JobTitle != "Staff Engineer" || u.Skype != "bo.chen" {
		t.Errorf("learner: title %q, Skype %q; want the update and the admin's Skype kept", u.JobTitle, u.Skype)
	}
}

// BambooHR's field list is cached in the Store for Config.CacheFor (a day
// by default): read by the first run, not by the next (in the same
// process or a new one), read again once a day has passed; a negative
// CacheFor reads it on every run.
func TestFieldListCachedForADay(t *testing.T) {
	for _, tc := range []struct {
		cacheFor   time.Duration
		oneProcess bool  // one engine for every run, as a long-running service
		want       []int // meta/fields reads in each run
	}{{0, false, []int{1, 0, 0, 1}}, {0, true, []int{1, 0, 0, 1}}, {-1, false, []int{1, 1, 1, 1}}} {
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		e := newEnv(t)
		seedCompany(e)
		var eng *syncengine.Engine
		var got []int
		for _, step := range []time.Duration{0, time.Hour, 22 * time.Hour, time.Hour} {
			now = now.Add(step)
			if eng == nil || !tc.oneProcess {
				cfg, err := jobs.BambooHRLitmos(e.hr.NewClient(t), e.lms.NewClient(t), jobs.BambooHRLitmosOptions{})
				if err != nil {
					t.Fatal(err)
				}
				cfg.Store, cfg.Now, cfg.CacheFor = e.store, func() time.Time { return now }, tc.cacheFor
				if eng, err = syncengine.New(cfg); err != nil {
					t.Fatal(err)
				}
				made := eng
				t.Cleanup(func() { _ = made.Close() })
			}
			e.hr.Log().Reset()
			if _, err := eng.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			got = append(got, e.hr.Log().Count(func(en bamboohrtest.Entry) bool { return strings.HasSuffix(en.Path, "/meta/fields") }))
		}
		if !cmp.Equal(got, tc.want) {
			t.Errorf("CacheFor %v, one process %v: field list reads per run %v, want %v", tc.cacheFor, tc.oneProcess, got, tc.want)
		}
	}
}
