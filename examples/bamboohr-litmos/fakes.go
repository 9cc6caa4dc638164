package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// fakes registers -employees and returns the builder of the fakes: a
// BambooHR seeded with Northwind Robotics, an empty Litmos, and the tour.
func fakes(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
	employees := runner.EmployeesFlag(fs, len(readCast()))
	return func(ctx context.Context) (*runner.Fake, error) {
		n, err := employees()
		if err != nil {
			return nil, err
		}
		hr := bamboohrtest.NewServer(nil)
		// Unthrottled: at Litmos's 100 requests a minute the tour would take minutes.
		lms := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
		ids, access, stayers := seedCompany(hr, n)
		today := time.Now().UTC().Format("2006-01-02")
		about := fmt.Sprintf("seeded with Northwind Robotics (%d employees, %d with Litmos Access).", n, access)
		f := &runner.Fake{Pair: *pair(about, hr.NewClient(nil), lms.NewClient(nil), ""), Tour: tour(hr, ids, today),
			Close: func() { hr.Close(); lms.Close() }}
		runner.LeaveLast(f, stayers, func(id int) { hr.Terminate(id, today) })
		return f, nil
	}
}

// tour is the quickstart's tour: a promotion, a termination and an
// unticked checkbox, each delivered as a webhook.
func tour(hr *bamboohrtest.Server, ids map[string]int, today string) []runner.Step {
	step := func(say, who, field string, change func(id int)) runner.Step {
		return runner.Step{Say: say, Change: func() { change(ids[who]) },
			Deliver: func(ctx context.Context, url, key string) (int, error) {
				return hr.SendWebhook(ctx, url, key, bamboohr.EventBased,
					bamboohr.WebhookEvent{Action: "Updated", EmployeeID: strconv.Itoa(ids[who]), ChangedFields: []string{field}})
			}}
	}
	return []runner.Step{
		step("Bo Chen is promoted to Senior Software Engineer", "bo", "jobTitle",
			func(id int) { hr.SetField(id, "jobTitle", "Senior Software Engineer") }),
		step("Ed Silva is terminated", "ed", "employmentHistoryStatus", func(id int) { hr.Terminate(id, today) }),
		step("Kwame Mensah's Litmos Access box is unticked", "kwame", bamboohrtest.LitmosAccessAlias,
			func(id int) { hr.SetField(id, bamboohrtest.LitmosAccessAlias, "no") }),
	}
}
