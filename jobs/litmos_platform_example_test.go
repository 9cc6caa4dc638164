package jobs_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// The Litmos → platform job into a platform of your own (here the
// in-memory connector; examples/litmos-portal has one on SQLite), then a
// remediation course for one of its users.
func ExampleLitmosPlatform() {
	ctx := context.Background()
	lms := litmostest.NewServer(nil)
	defer lms.Close()
	sales := lms.AddTeam(litmos.Team{Name: "Sales"})
	ana := lms.AddUser(litmos.User{UserName: "ana@acme.example", Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", Active: true})
	lms.AddTeamMember(sales.ID, ana.ID)
	phishing := lms.AddCourse(litmos.Course{Code: "PH-101", Name: "Spotting Phishing", Active: true})

	platform := syncenginetest.NewConnector("platform") // your connector
	cfg, err := jobs.LitmosPlatform(lms.NewClient(nil), platform, jobs.LitmosPlatformOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cfg.Store = syncengine.NewMemoryStore() // default: the file store in cfg.StateDir
	eng, err := syncengine.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	rep, err := eng.Sync(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Summary())

	users := platform.Records(syncengine.Users)
	rem := &jobs.LitmosRemediation{Litmos: lms.NewClient(nil), Store: eng.Store(), Pair: eng.Pair(), Platform: platform}
	done, err := rem.Assign(ctx, users[0].ID, []string{phishing.ID}) // no email unless SendEmail
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done[0].CourseID == phishing.ID, done[0].Assigned, len(lms.Messages()), "emails")
	// Output:
	// 3 created, 0 updated, 0 deactivated, 0 reactivated, 0 skipped, 0 failed
	// true true 0 emails
}
