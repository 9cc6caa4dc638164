package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// fakeNow is the fakes' clock (tests pin it).
var fakeNow = time.Now

// fakes registers -branch and returns the builder of the fakes: Northwind
// Robotics in both systems, and the TalentHR side's training in memory.
func fakes(fs *flag.FlagSet, o options) func(context.Context) (*runner.Fake, error) {
	branch := fs.String("branch", "", "sync only the fake portal's branch `NAME` (Sales or Engineering; fakes only)")
	return func(context.Context) (*runner.Fake, error) {
		f, err := startFakes(o, *branch)
		if err != nil {
			return nil, err
		}
		return &f.Fake, nil
	}
}

// fakeCompany is the running fakes and what was seeded.
type fakeCompany struct {
	runner.Fake
	hr  *talenthrtest.Server
	lms *talentlmstest.Server
	co  *company
}

func startFakes(o options, branch string) (*fakeCompany, error) {
	if branch != "" && branch != "Sales" && branch != "Engineering" {
		return nil, runner.Usagef("-branch %q: the fake portal has the branches Sales and Engineering", branch)
	}
	now := fakeNow().UTC().Truncate(time.Second)
	clock := func() time.Time { return now }
	hr := talenthrtest.NewServer(nil)
	// Unthrottled: TalentLMS's 200 calls per 5 seconds would only slow the fakes down.
	lms := talentlmstest.NewServer(nil, talentlmstest.WithoutRateLimit())
	hr.SetClock(clock)
	lms.SetClock(clock)
	co := &company{emp: map[string]string{}, user: map[string]string{}, titles: map[string]string{}}
	seedHR(hr, co)
	seedLMS(lms, co, now)
	tr := talenthr.NewMemoryTraining()
	seedTraining(tr, co, now)
	about := fmt.Sprintf("seeded with Northwind Robotics: %d employees in TalentHR, 6 users and 3 courses in TalentLMS;\n"+
		"courses and progress on the TalentHR side are kept in memory (TalentHR's API has no training endpoint).", len(staff))
	if branch != "" {
		about += "\nOnly the TalentLMS branch " + branch + " is synced."
	}
	f := &fakeCompany{hr: hr, lms: lms, co: co}
	f.Fake = runner.Fake{Pair: runner.Pair{About: about, Config: config(hr.NewClient(nil), lms.NewClient(nil), o, branch, tr)},
		Close: func() { hr.Close(); lms.Close() }}
	return f, nil
}
