package jobs_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// The HiBob → Learn Amp job on the fakes: plan, review, apply. The leaver
// is not created; the future starter waits for the start date.
func ExampleHiBobLearnAmp() {
	ctx := context.Background()
	hr := hibobtest.NewServer(nil) // or hibob.New(serviceUserID, token)
	defer hr.Close()
	lms := learnamptest.NewServer(nil) // or learnamp.New(clientID, clientSecret, learnamp.WithBaseURL(host))
	defer lms.Close()
	hr.SeedCompany()

	cfg, err := jobs.HiBobLearnAmp(hr.NewClient(nil), lms.NewClient(nil), jobs.HiBobLearnAmpOptions{Invite: jobs.InviteOnStartDate})
	if err != nil {
		log.Fatal(err)
	}
	cfg.Store = syncengine.NewMemoryStore() // default: the file store in cfg.StateDir
	eng, err := syncengine.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	plan, err := eng.Plan(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range eng.Preview(plan).Outcomes {
		if row.Collection == syncengine.Users {
			fmt.Println(strings.TrimSpace(fmt.Sprintln("staged:", row.Name, row.Result, row.Reason)))
		}
	}
	report, err := eng.Apply(ctx, plan)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Summary())
	fmt.Println(len(lms.Invitations()), "invited")
	// Output:
	// staged: Grace Hopper create
	// staged: Ada Lovelace create
	// staged: Katherine Johnson create
	// staged: Alan Turing create
	// staged: Dorothy Vaughan create
	// staged: Mary Jackson skip inactive in source
	// staged: Hedy Lamarr skip not started yet
	// 9 created, 0 updated, 0 deactivated, 0 reactivated, 2 skipped, 0 failed
	// 5 invited
}
