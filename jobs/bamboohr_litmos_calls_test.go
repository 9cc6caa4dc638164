package jobs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// staffCompany seeds n employees with Litmos Access: employee 0 leads,
// every 50th manages the 49 after them, and reports to employee 0.
func staffCompany(e *env, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		extra := map[string]string{"jobTitle": "Associate"}
		switch {
		case i == 0:
		case i%50 == 0:
			extra["supervisorEId"] = ids[0]
		default:
			extra["supervisorEId"] = ids[i-i%50]
		}
		ids[i] = e.employee("Emp", fmt.Sprintf("N%05d", i), fmt.Sprintf("emp%05d@acme.example", i), extra)
	}
	return ids
}

// calls counts the requests each fake answered since the last reset, and
// resets the logs.
func (e *env) calls() (litmos, bamboohr, litmosWrites int) {
	litmos = e.lms.Log().Count(func(litmostest.Entry) bool { return true })
	litmosWrites = e.lms.Log().Count(litmostest.IsWrite)
	bamboohr = e.hr.Log().Count(func(bamboohrtest.Entry) bool { return true })
	e.lms.Log().Reset()
	e.hr.Log().Reset()
	return litmos, bamboohr, litmosWrites
}

// learnerState is Litmos as the sync leaves it: each learner's fields
// and manager's username, by username.
func learnerState(e *env) map[string]string {
	byID := map[string]string{}
	for _, u := range e.lms.Users() {
		byID[u.ID] = u.UserName
	}
	out := map[string]string{}
	for _, u := range e.lms.Users() {
		out[u.UserName] = fmt.Sprintf("%s %s %s %s active=%v manager=%s", u.FirstName, u.LastName, u.JobTitle,
			u.ExternalEmployeeID, u.Active, byID[u.ManagerID])
	}
	return out
}

// A run costs the minimum number of calls, counted from the fakes' logs
// (issue "Every run at the minimum number of API calls"): N = 1000.
func TestCallCounts(t *testing.T) {
	const n = 1000
	pages := n/1000 + 1 // full pages of 1000, and the short one that ends the listing
	var states [2]map[string]string
	for mode, bulkMin := range []int{1 << 30, 0} {
		name := map[int]string{0: "per record", 1: "bulk"}[mode]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(s *setup) { s.BulkMin = bulkMin })
			ids := staffCompany(e, n)
			e.calls()
			if rep := e.sync(t); rep.Counts[syncengine.ResultCreated] != n {
				t.Fatalf("first sync: %s", rep.Summary())
			}
			lit, hr, writes := e.calls()
			if bulkMin > n {
				// One empty page, then one create per learner, each carrying
				// its manager: no second write. BambooHR: the field list and the report.
				if lit != 1+n || writes != n || hr != 2 {
					t.Errorf("first sync: %d Litmos calls (%d writes), %d BambooHR; want %d (%d), 2", lit, writes, hr, 1+n, n)
				}
			} else {
				// Managers come before their reports, level by level: the
				// leader alone (one create, too few for a bulk job); the 19
				// managers and the leader's 49 reports (68, one import: POST,
				// 3 polls, one listing page for their ids); the other 931
				// (POST, 3 polls, 2 listing pages). Plus the empty first page.
				if want := 1 + 1 + (1 + 3 + 1) + (1 + 3 + pages); lit != want || hr != 2 {
					t.Errorf("first sync in bulk: %d Litmos calls, %d BambooHR; want %d, 2", lit, hr, want)
				}
			}
			states[mode] = learnerState(e)
			// Each learner's manager is its employee's supervisor's learner.
			for i := 0; i < n; i++ {
				want := ""
				switch {
				case i == 0:
				case i%50 == 0:
					want = "emp00000@acme.example"
				default:
					want = fmt.Sprintf("emp%05d@acme.example", i-i%50)
				}
				name := fmt.Sprintf("emp%05d@acme.example", i)
				if s := states[mode][name]; !strings.HasSuffix(s, " manager="+want) {
					t.Errorf("first sync: %s is %q, want manager %q", name, s, want)
					break
				}
			}

			// 1%% changed: the listing and one write per changed employee.
			for i := 0; i < n/100; i++ {
				e.hr.SetField(atoi(ids[i*97%n]), "jobTitle", "Senior Associate")
			}
			e.sync(t)
			if lit, hr, writes := e.calls(); lit != pages+n/100 || writes != n/100 || hr != 1 {
				t.Errorf("1%% re-sync: %d Litmos calls (%d writes), %d BambooHR; want %d (%d), 1", lit, writes, hr, pages+n/100, n/100)
			}
			// Nothing changed: the listing, no write.
			e.sync(t)
			if lit, hr, writes := e.calls(); lit != pages || writes != 0 || hr != 1 {
				t.Errorf("no-op re-sync: %d Litmos calls (%d writes), %d BambooHR; want %d (0), 1", lit, writes, hr, pages)
			}
			// A new title and a new manager: one PUT.
			e.hr.SetField(atoi(ids[7]), "jobTitle", "Lead")
			e.hr.SetField(atoi(ids[7]), "supervisorEId", ids[100])
			e.sync(t)
			if lit, _, writes := e.calls(); lit != pages+1 || writes != 1 {
				t.Errorf("title and manager: %d Litmos calls (%d writes); want %d (1)", lit, writes, pages+1)
			}
		})
	}
	if diff := cmp.Diff(states[0], states[1]); diff != "" {
		t.Errorf("bulk and per-record first syncs leave Litmos differently (-per record +bulk):\n%s", diff)
	}
}

// A first sync into a Litmos where some people already have accounts (the
// leader and a manager among them, with an old title): the existing ones
// are matched by username and updated first, one PUT each on the listed
// user, so their links exist when the creates go out and every create
// carries its manager: one write per learner, no GET, no second write.
func TestFirstSyncWithExistingLearners(t *testing.T) {
	const n, existing = 120, 60 // employees 0–59 have accounts: the leader, the manager of 1–49, and manager 50
	for _, bulkMin := range []int{1 << 30, 20} {
		e := newEnv(t, func(s *setup) { s.BulkMin = bulkMin })
		staffCompany(e, n)
		for i := range existing {
			name := fmt.Sprintf("emp%05d@acme.example", i)
			e.lms.AddUser(litmos.User{UserName: name, Email: name, FirstName: "Emp", LastName: fmt.Sprintf("N%05d", i), JobTitle: "Trainee", Active: true})
		}
		e.calls()
		rep := e.sync(t)
		if rep.Counts[syncengine.ResultCreated] != n-existing || rep.Counts[syncengine.ResultUpdated] != existing || rep.Failed() {
			t.Fatalf("BulkMin %d: first sync: %s", bulkMin, rep.Summary())
		}
		gets := e.lms.Log().Count(func(en litmostest.Entry) bool {
			return en.Method == "GET" && strings.Contains(en.Path, "/users/") && !strings.HasSuffix(en.Path, "/users/details")
		})
		lit, _, writes := e.calls()
		if bulkMin > n {
			// One page lists the 60; a PUT for each of them, a POST for each of the others.
			if lit != 1+n || writes != n || gets != 0 {
				t.Errorf("per record: %d Litmos calls (%d writes, %d user GETs); want %d (%d, 0)", lit, writes, gets, 1+n, n)
			}
		} else {
			// The 60 PUTs; then the 41 whose managers exist (60–99 and
			// manager 100) in one import: POST, 3 polls, one listing page
			// for their ids; then manager 100's 19 reports, too few for an
			// import, one POST each.
			if want := 1 + existing + (1 + 3 + 1) + 19; lit != want || gets != 0 {
				t.Errorf("bulk: %d Litmos calls (%d user GETs); want %d (0)", lit, gets, want)
			}
		}
		for i := 1; i < n; i++ {
			mgr := "emp00000@acme.example"
			if i%50 != 0 {
				mgr = fmt.Sprintf("emp%05d@acme.example", i-i%50)
			}
			name := fmt.Sprintf("emp%05d@acme.example", i)
			if s := learnerState(e)[name]; !strings.HasSuffix(s, " manager="+mgr) || !strings.Contains(s, " Associate ") {
				t.Errorf("BulkMin %d: %s is %q, want title Associate and manager %q", bulkMin, name, s, mgr)
				break
			}
		}
	}
}
