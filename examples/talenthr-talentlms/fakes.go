package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// fakeNow is the fakes' clock (tests pin it).
var fakeNow = time.Now

// fakes registers -branch and returns the builder of the fakes: Northwind
// Robotics in both systems, the TalentHR side's training in memory, and
// the change -watch makes after its first sync.
func fakes(fs *flag.FlagSet, dir *jobs.Direction) func(context.Context) (*runner.Fake, error) {
	branch := fs.String("branch", "", "sync only the fake portal's branch `NAME` (Sales or Engineering; fakes only)")
	return func(context.Context) (*runner.Fake, error) {
		if b := *branch; b != "" && b != "Sales" && b != "Engineering" {
			return nil, runner.Usagef("-branch %q: the fake portal has the branches Sales and Engineering", b)
		}
		now := fakeNow().UTC().Truncate(time.Second)
		clock := func() time.Time { return now }
		hr := talenthrtest.NewServer(nil)
		// Unthrottled: TalentLMS's 200 calls per 5 seconds would only slow the fakes down.
		lms := talentlmstest.NewServer(nil, talentlmstest.WithoutRateLimit())
		hr.SetClock(clock)
		lms.SetClock(clock)
		emp, user, tr := seed(hr, lms, now)
		about := fmt.Sprintf("seeded with Northwind Robotics: %d employees in TalentHR, %d users and %d courses in TalentLMS;\n"+
			"courses and progress on the TalentHR side are kept in memory (TalentHR's API has no training endpoint).",
			len(emp), len(user), len(lms.Courses()))
		if *branch != "" {
			about += "\nOnly the TalentLMS branch " + *branch + " is synced."
		}
		// -watch's change: a promotion in TalentHR, or (LMS to HR) a learner's new language in TalentLMS.
		change := runner.Step{Say: "Bo Chen is promoted to Staff Engineer; the next poll carries it.", Change: func() {
			title := hr.AddJobTitle("Staff Engineer")
			hr.Edit(emp["bo@northwind.example"], func(e *talenthrtest.Employee) { e.JobTitleID = title })
		}}
		if *dir == jobs.LMSToHR {
			change = runner.Step{Say: "Lena Park switches her language to Greek; the next full sync carries it.",
				Change: func() { lms.SetLanguage(user["lena"], "Greek") }}
		}
		return &runner.Fake{Pair: runner.Pair{About: about, Config: config(hr.NewClient(nil), lms.NewClient(nil), *dir, *branch, tr)},
			Tour: []runner.Step{change}, Close: func() { hr.Close(); lms.Close() }}, nil
	}
}
