package jobs_test

import (
	"context"
	"github.com/rostersync/rostersync/syncengine"
	"net/http"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// TestFaults runs the job with faults injected into Litmos. However the
// calls fail, after at most two runs every employee has exactly one learner
// (no duplicate by username), nothing is lost, and a third plan is empty.
// Faults the client retries (everything but 5xx that outlast its retries)
// do not even need the second run: the first finishes with only the
// employee without a work email failed.
func TestFaults(t *testing.T) {
	const users = "/v1.svc/users"
	tests := []struct {
		name      string
		run1Fails bool
		faults    []litmostest.Fault
	}{
		{"5xx on reads", true, []litmostest.Fault{
			// More 500s than the client retries: they stop run 1's listing.
			{Method: http.MethodGet, Status: http.StatusInternalServerError, Times: 5},
			{Method: http.MethodGet, Status: http.StatusBadGateway, Times: 2},
		}},
		{"5xx on writes", false, []litmostest.Fault{
			{Method: http.MethodPut, Status: http.StatusInternalServerError, Times: 2},
			{Method: http.MethodPost, Path: users, Status: http.StatusBadGateway, Skip: 2, Times: 2},
		}},
		{"429 with Retry-After", false, []litmostest.Fault{
			{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 1, Times: 4},
		}},
		{"503 with Retry-After", false, []litmostest.Fault{
			{Status: http.StatusServiceUnavailable, RetryAfter: "1", Skip: 2, Times: 4},
		}},
		{"dropped connections", false, []litmostest.Fault{
			{Method: http.MethodGet, Drop: true, Skip: 1, Times: 2},
			{Method: http.MethodPost, Path: users, Drop: true, Skip: 1, Times: 2},
			{Method: http.MethodPut, Drop: true, Times: 1},
		}},
		{"create applied but response lost", false, []litmostest.Fault{
			{Method: http.MethodPost, Path: users, ApplyThenDrop: true, Times: 3},
		}},
		{"all of them", false, []litmostest.Fault{
			{Method: http.MethodPost, Path: users, ApplyThenDrop: true, Skip: 1, Times: 3},
			{Method: http.MethodPost, Path: users, Drop: true, Skip: 2, Times: 1},
			{Status: http.StatusTooManyRequests, RetryAfter: "1", Skip: 7, Times: 2},
			{Status: http.StatusServiceUnavailable, RetryAfter: "1", Skip: 11, Times: 2},
			{Method: http.MethodPut, Status: http.StatusInternalServerError, Times: 2},
			{Method: http.MethodGet, Drop: true, Skip: 1, Times: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := seedCompany(e)
			ids := e.staff(8)
			for _, id := range ids {
				e.hr.SetField(atoi(id), "supervisorEId", c.boss)
			}
			// Three learners exist already, out of date: the run updates them
			// (PUTs), as well as creating the rest (POSTs).
			for _, name := range staffNames(8)[:3] {
				e.lms.AddUser(litmos.User{UserName: name, Email: name, FirstName: "Old", LastName: "Name", Active: true})
			}
			for _, f := range tt.faults {
				e.lms.AddFault(f)
			}
			ctx := context.Background()
			// Run 1 may fail part-way only where the client cannot retry;
			// run 2 must finish the job.
			rep, err := e.job.Sync(ctx)
			if !tt.run1Fails && (err != nil || rep.Counts[syncengine.ResultFailed] != 1) {
				t.Errorf("first run: %v; want only the employee without a work email failed: %+v", err, rep)
			}
			if _, err := e.job.Sync(ctx); err != nil {
				t.Fatalf("second run: %v", err)
			}
			e.lms.ClearFaults()
			checkFired(t, e.lms, tt.faults)
			for name, n := range usernames(e.lms) {
				if n != 1 {
					t.Errorf("username %q has %d learners", name, n)
				}
			}
			want := append([]string{"zoe.nunez@acme.example", "bo.chen@acme.example"}, staffNames(8)...)
			boss := e.learner(t, "zoe.nunez@acme.example")
			for _, name := range want {
				u := e.learner(t, name)
				if !u.Active {
					t.Errorf("%s is inactive", name)
				}
				if name != boss.UserName && u.ManagerID != boss.ID {
					t.Errorf("%s: ManagerId = %q, want %q", name, u.ManagerID, boss.ID)
				}
			}
			if n := len(e.lms.Users()); n != len(want) {
				t.Errorf("Litmos has %d users, want %d", n, len(want))
			}
			p, err := e.job.Plan(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if p.HasChanges() {
				t.Errorf("plan after two runs still has changes:\n%s", p)
			}
		})
	}
}

func staffNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "emp" + pad3(i) + "@acme.example"
	}
	return out
}

func pad3(i int) string {
	s := "00" + itoa(i)
	return s[len(s)-3:]
}

// checkFired fails the test when a kind of fault never reached the client
// (a status fault's status, or a cut connection, logged with status 0).
func checkFired(t *testing.T, lms *litmostest.Server, faults []litmostest.Fault) {
	t.Helper()
	for _, f := range faults {
		n := lms.Log().Count(func(e litmostest.Entry) bool {
			return (f.Method == "" || e.Method == f.Method) && e.Status == f.Status
		})
		if n == 0 {
			t.Errorf("fault %+v never fired", f)
		}
	}
}
