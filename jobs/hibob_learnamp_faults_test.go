package jobs_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// teamState is Learn Amp's teams: name → integrationExternalId, with a
// count per name so a duplicate shows.
func teamState(lms *learnamptest.Server) map[string][]string {
	out := map[string][]string{}
	for _, tm := range lms.Teams() {
		out[tm.Name] = append(out[tm.Name], tm.IntegrationExternalID)
	}
	return out
}

// TestHiBobLearnAmpFaults runs the job with faults injected into both
// fakes. However the calls fail, after at most two runs Learn Amp holds
// exactly what a run without faults leaves (one user per email, one team
// per department, every field, team and manager), and a third plan is
// empty. Faults the clients retry do not even need the second run.
func TestHiBobLearnAmpFaults(t *testing.T) {
	const users, teams, search = "/v1/users", "/v1/teams", "/v1/people/search"
	type faults struct {
		hr  []hibobtest.Fault
		lms []learnamptest.Fault
	}
	tests := []struct {
		name      string
		run1Fails bool
		faults    faults
	}{
		{"HiBob 503 and 429 with Retry-After", false, faults{hr: []hibobtest.Fault{
			{Path: search, Status: http.StatusServiceUnavailable, RetryAfter: "1", Times: 1},
			{Method: http.MethodGet, Status: http.StatusTooManyRequests, RetryAfter: "1", Times: 2},
		}}},
		{"HiBob drops connections", false, faults{hr: []hibobtest.Fault{
			{Path: search, Drop: true, Times: 1},
			{Method: http.MethodGet, Drop: true, Times: 1},
		}}},
		{"HiBob 500 on the search", true, faults{hr: []hibobtest.Fault{
			{Path: search, Status: http.StatusInternalServerError, Times: 3}, // more than the client retries: run 1 stops
		}}},
		{"Learn Amp 5xx on writes", false, faults{lms: []learnamptest.Fault{
			{Method: http.MethodPut, Status: http.StatusBadGateway, Times: 2},
			{Method: http.MethodPost, Path: users, Status: http.StatusServiceUnavailable, Skip: 1, Times: 2},
		}}},
		{"Learn Amp 429 with Retry-After", false, faults{lms: []learnamptest.Fault{
			{Path: users + "*", Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 1, Times: 3},
		}}},
		{"Learn Amp creates applied but responses lost", false, faults{lms: []learnamptest.Fault{
			{Method: http.MethodPost, Path: users, ApplyThenDrop: true, Times: 3},
			{Method: http.MethodPost, Path: teams, ApplyThenDrop: true, Times: 2},
		}}},
		{"Learn Amp drops connections", false, faults{lms: []learnamptest.Fault{
			{Method: http.MethodGet, Drop: true, Skip: 1, Times: 1},
			{Method: http.MethodPost, Path: users, Drop: true, Skip: 1, Times: 2},
			{Method: http.MethodPut, Drop: true, Times: 1},
		}}},
		{"both sides, all of them", false, faults{
			hr: []hibobtest.Fault{
				{Path: search, Drop: true, Times: 1},
				{Method: http.MethodGet, Status: http.StatusServiceUnavailable, RetryAfter: "1", Times: 1},
			},
			lms: []learnamptest.Fault{
				{Method: http.MethodPost, Path: users, ApplyThenDrop: true, Skip: 1, Times: 2},
				{Method: http.MethodPost, Path: teams, ApplyThenDrop: true, Times: 1},
				{Method: http.MethodPost, Path: users, Drop: true, Skip: 3, Times: 1},
				{Method: http.MethodPut, Status: http.StatusBadGateway, Times: 1},
				{Path: users + "*", Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 6, Times: 2},
			},
		}},
	}
	clean := newBobEnv(t)
	staleAccounts(clean)
	clean.sync(t)
	wantUsers, wantTeams := lmsState(clean.lms), teamState(clean.lms)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newBobEnv(t)
			staleAccounts(e)
			for _, f := range tt.faults.hr {
				e.hr.AddFault(f)
			}
			for _, f := range tt.faults.lms {
				e.lms.AddFault(f)
			}
			ctx := context.Background()
			rep, err := e.eng.Sync(ctx)
			if !tt.run1Fails && (err != nil || rep.Failed()) {
				t.Errorf("first run: %v, %+v; want no failure (the clients retry these)", err, rep)
			}
			if _, err := e.eng.Sync(ctx); err != nil {
				t.Fatalf("second run: %v", err)
			}
			e.hr.ClearFaults()
			e.lms.ClearFaults()
			checkFaultsFired(t, e.hr.Log().Entries(), tt.faults.hr)
			checkFaultsFired(t, e.lms.Log().Entries(), tt.faults.lms)
			if diff := cmp.Diff(wantUsers, lmsState(e.lms)); diff != "" {
				t.Errorf("Learn Amp users after two runs (-without faults +with):\n%s", diff)
			}
			if n := len(e.lms.Users()); n != len(wantUsers) {
				t.Errorf("%d Learn Amp users, want %d: a duplicate", n, len(wantUsers))
			}
			if diff := cmp.Diff(wantTeams, teamState(e.lms)); diff != "" {
				t.Errorf("Learn Amp teams after two runs (-without faults +with):\n%s", diff)
			}
			if p := e.plan(t); p.HasChanges() {
				t.Errorf("plan after two runs still has changes:\n%s", p)
			}
		})
	}
}

// staleAccounts adds two Learn Amp accounts of HiBob people, out of
// date, so a sync updates (PUTs) as well as creates.
func staleAccounts(e *bobEnv) {
	e.lms.AddUser(learnamptest.User{Email: "ada.lovelace@example.com", FirstName: "A", LastName: "L", JobTitle: "Old"})
	e.lms.AddUser(learnamptest.User{Email: "Dorothy.Vaughan@example.com", FirstName: "D", LastName: "V", JobTitle: "Old"})
}

// checkFaultsFired fails the test when a fault never reached a client (its
// status logged, or a cut connection logged with status 0).
func checkFaultsFired(t *testing.T, log []hibobtest.Entry, faults []hibobtest.Fault) {
	t.Helper()
	for _, f := range faults {
		n := 0
		for _, en := range log {
			if (f.Method == "" || en.Method == f.Method) && en.Status == f.Status {
				n++
			}
		}
		if n == 0 {
			t.Errorf("fault %+v never fired", f)
		}
	}
}

// A Learn Amp token that dies mid-run (revoked, or its two hours out) is
// renewed on the 401 and the call sent again: no failure, one 401, two
// token requests, everyone created once.
func TestHiBobLearnAmpTokenDiesMidRun(t *testing.T) {
	var e *bobEnv
	steps := 0
	e = newBobEnv(t, func(s *bobSetup) {
		s.concurrency = 1
		s.onProgress = func(int, int, syncengine.Outcome) {
			if steps++; steps == 6 {
				e.lms.ExpireTokens()
			}
		}
	})
	for i := range 10 {
		e.hr.AddEmployee(hibobtest.Employee{FirstName: "Emp", Surname: itoa(i), Email: "emp" + itoa(i) + "@example.com",
			Department: "Sales", ManagerID: e.ids["sales_manager"]})
	}
	rep := e.sync(t)
	if rep.Failed() || rep.Counts[syncengine.ResultCreated] != 4+15 {
		t.Errorf("run: %s", rep.Summary())
	}
	unauthorized := 0
	for _, en := range e.lms.Log().Entries() {
		if en.Status == http.StatusUnauthorized {
			unauthorized++
		}
	}
	if c := e.calls(); unauthorized != 1 || c.Tokens != 2 || c.LMSWrites != 4+15+1 {
		t.Errorf("%d answered 401, calls %+v; want one 401, 2 tokens and 20 writes (one sent again)", unauthorized, c)
	}
	if n := len(e.lms.Users()); n != 15 {
		t.Errorf("%d Learn Amp users, want 15", n)
	}
}

// HiBob's people search limit hit: the fake's limiter (one search a
// minute here) answers 429 with Retry-After, the client waits what it says
// (capped by its MaxWait) and tries again, and the run goes on without a
// failure. The fake's clock moves a minute on when the client logs the 429,
// before it waits: no test waits on the wall clock's minute.
func TestHiBobLearnAmpSearchLimit(t *testing.T) {
	var e *bobEnv
	hrClock := &clock{t: bobDay}
	var waits []time.Duration
	onAttempt := func(status int64, wait time.Duration) {
		if status == http.StatusTooManyRequests {
			waits = append(waits, wait)
			hrClock.mu.Lock()
			hrClock.t = hrClock.t.Add(time.Minute)
			hrClock.mu.Unlock()
		}
	}
	e = newBobEnv(t, func(s *bobSetup) {
		s.hrOpts = []hibobtest.Option{hibobtest.WithRateLimit(hibobtest.RateLimit{Requests: 1, Per: time.Minute, Match: hibobtest.IsSearch})}
		s.hrClient = []hibob.Option{
			hibob.WithRetry(hibob.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}),
			hibob.WithLogger(slog.New(attemptHandler(onAttempt))),
		}
	})
	e.hr.SetClock(hrClock.Now) // the limiter's window; the employees' dates stay on today
	e.sync(t)
	rep := e.sync(t) // the second search in the fake's minute
	if rep.Failed() {
		t.Errorf("run after the limit: %s", rep.Summary())
	}
	var statuses []int
	for _, en := range e.hr.Log().Entries() {
		if en.Path == "/v1/people/search" {
			statuses = append(statuses, en.Status)
		}
	}
	if diff := cmp.Diff([]int{200, 429, 200}, statuses); diff != "" {
		t.Errorf("search statuses (-want +got):\n%s", diff)
	}
	// Exponential backoff from MinWait would wait about 1ms: 50ms is
	// Retry-After (a minute) capped by MaxWait.
	if diff := cmp.Diff([]time.Duration{50 * time.Millisecond}, waits); diff != "" {
		t.Errorf("waits after the 429 (-want +got):\n%s", diff)
	}
	if u := e.user(t, "ceo"); u.Status == learnamp.StatusDeactivated {
		t.Error("a refused search deactivated people")
	}
}

// attemptHandler is a slog.Handler that hands each HTTP attempt's status
// and wait (the clients' Debug records) to fn.
type attemptHandler func(status int64, wait time.Duration)

func (h attemptHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h attemptHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h attemptHandler) WithGroup(string) slog.Handler            { return h }
func (h attemptHandler) Handle(_ context.Context, r slog.Record) error {
	var status int64
	var wait time.Duration
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "status":
			status = a.Value.Int64()
		case "wait":
			wait = a.Value.Duration()
		}
		return true
	})
	h(status, wait)
	return nil
}
