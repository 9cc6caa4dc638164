package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// fakes registers -employees and returns the builder of the fakes: a
// HiBob seeded with Fjord Analytics, a Learn Amp holding two accounts, and
// the tour. invite is read when the fakes start, after the flags.
func fakes(fs *flag.FlagSet, invite *jobs.InvitePolicy) func(context.Context) (*runner.Fake, error) {
	employees := runner.EmployeesFlag(fs, len(runner.CSVRows("company.csv", companyCSV)))
	return func(ctx context.Context) (*runner.Fake, error) {
		n, err := employees()
		if err != nil {
			return nil, err
		}
		// HiBob's search limit is on (50 a minute): a run makes one search.
		hr := hibobtest.NewServer(nil)
		lms := learnamptest.NewServer(nil)
		today := time.Now().UTC()
		ids, stayers := seedHiBob(hr, n, today)
		seedLearnAmp(lms)
		about := fmt.Sprintf("seeded with Fjord Analytics (%d employees: a leaver, a future leaver and a future starter among them).\n%s",
			n, inviteWords[*invite])
		f := &runner.Fake{Pair: *pair(about, hr.NewClient(nil), lms.NewClient(nil), jobs.HiBobLearnAmpOptions{Invite: *invite}),
			Tour: tour(hr, ids, today), Close: func() { hr.Close(); lms.Close() }}
		runner.LeaveLast(f, stayers, func(id string) { hr.Terminate(id, today.AddDate(0, 0, -1).Format(time.DateOnly)) })
		return f, nil
	}
}

// tour is the example's tour: a promotion (a work entry), a leaver and a
// new hire, each delivered as HiBob's signed webhook.
func tour(hr *hibobtest.Server, ids map[string]string, today time.Time) []runner.Step {
	step := func(say string, change func() (id string, event string)) runner.Step {
		var id, event string
		return runner.Step{Say: say, Change: func() { id, event = change() },
			Deliver: func(ctx context.Context, url, secret string) (int, error) {
				return hr.SendEvent(ctx, url, secret, hibob.WebhookPayload{Type: event, EmployeeID: id, TableID: "work"})
			}}
	}
	yesterday := today.AddDate(0, 0, -1).Format(time.DateOnly)
	return []runner.Step{
		step("Lukas Weber is promoted to Senior Software Engineer (a work entry)", func() (string, string) {
			// HiBob changes a title through a dated row of the work table.
			hr.AddWorkEntry(ids["lukas"], today.Format(time.DateOnly), "Senior Software Engineer")
			return ids["lukas"], hibob.EventTableEntryCreated
		}),
		step("Daniel Kim's last day was yesterday", func() (string, string) {
			hr.Terminate(ids["daniel"], yesterday)
			return ids["daniel"], hibob.EventEmployeeLeft
		}),
		step("Nadia Petrova joins Data today", func() (string, string) {
			return hr.AddEmployee(hibobtest.Employee{FirstName: "Nadia", Surname: "Petrova", Email: "nadia.petrova@fjord.example",
				Title: "Data Engineer", Department: "Data", Site: "London", StartDate: today.Format(time.DateOnly),
				ManagerID: ids["sofia"]}), hibob.EventEmployeeCreated
		}),
	}
}
