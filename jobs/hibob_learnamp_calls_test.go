package jobs_test

import (
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/syncengine"
)

// bobStaff adds n employees to the company SeedCompany made, in 20
// departments of their own: every 50th manages the 49 after them and
// reports to the CEO. It returns their IDs.
func bobStaff(e *bobEnv, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		mgr := e.ids["ceo"]
		if i%50 != 0 {
			mgr = ids[i-i%50]
		}
		ids[i] = e.hr.AddEmployee(hibobtest.Employee{FirstName: "Emp", Surname: fmt.Sprintf("N%05d", i),
			Email: fmt.Sprintf("emp%05d@example.com", i), Title: "Associate", Department: fmt.Sprintf("Dept %02d", i%20),
			Site: "London", StartDate: "2023-03-01", ManagerID: mgr})
	}
	return ids
}

// pages is how many pages of Learn Amp's largest page a listing of n takes
// (an empty listing is one page).
func pages(n int) int { return max(1, (n+learnamp.DefaultPerPage-1)/learnamp.DefaultPerPage) }

// A run costs the minimum number of calls, counted from the fakes' logs:
// 1000 employees (and the seeded company's 5 who have started), 24
// departments. HiBob: one search and the department list per full run
// (and the fields metadata once); Learn Amp: one page of users and one of
// teams per 100, and one write per changed record.
func TestHiBobLearnAmpCallCounts(t *testing.T) {
	const n = 1000
	const users, teams = n + 5, 24
	e := newBobEnv(t)
	ids := bobStaff(e, n)
	e.calls()
	if rep := e.sync(t); rep.Counts[syncengine.ResultCreated] != users+teams || rep.Failed() {
		t.Fatalf("first sync: %s", rep.Summary())
	}
	// Both listings are empty (one page each); one create per team and per
	// user, each user's carrying its primary team and manager (managers
	// are created first): no second write.
	if c, want := e.calls(), (bobCalls{Search: 1, HRLists: 1, HRFields: 1, LMSReads: 2, LMSWrites: teams + users, Tokens: 1}); c != want {
		t.Errorf("first sync: %+v, want %+v", c, want)
	}
	listings := bobCalls{Search: 1, HRLists: 1, LMSReads: pages(users) + pages(teams)}

	e.sync(t)
	if c := e.calls(); c != listings {
		t.Errorf("no-op rerun: %+v, want %+v", c, listings)
	}

	for i := range n / 100 {
		workID(t, e, ids[i*97%n], hibob.WorkEntry{Title: e.hr.AddTitle(fmt.Sprint("Senior Associate ", i))})
	}
	e.calls()
	e.sync(t)
	want := listings
	want.LMSWrites = n / 100
	if c := e.calls(); c != want {
		t.Errorf("1%% changed: %+v, want %+v", c, want)
	}

	// A new title and a new manager: one PUT.
	workID(t, e, ids[7], hibob.WorkEntry{Title: e.hr.AddTitle("Lead"), ManagerID: ids[100]})
	e.calls()
	e.sync(t)
	want.LMSWrites = 1
	if c := e.calls(); c != want {
		t.Errorf("title and manager: %+v, want %+v", c, want)
	}

	// A leaver since yesterday: one deactivation.
	e.hr.Terminate(ids[8], "2026-05-31")
	e.sync(t)
	if c := e.calls(); c != want {
		t.Errorf("a leaver: %+v, want %+v", c, want)
	}
}
