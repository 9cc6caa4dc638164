package main

import (
	"fmt"
	"io"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talentlms"
)

// realPair builds both clients from the environment. No call is made
// until the runner plans.
func realPair(env runner.Env, log io.Writer, dir jobs.Direction) (*runner.Pair, error) {
	var hrOpts []talenthr.Option
	if u := env.Get("TALENTHR_BASE_URL"); u != "" {
		hrOpts = append(hrOpts, talenthr.WithBaseURL(u))
	}
	hr, err := talenthr.New(env.Get("TALENTHR_API_KEY"), hrOpts...)
	if err != nil {
		return nil, runner.Usagef("TalentHR settings: %w", err)
	}
	var lmsOpts []talentlms.Option
	if u := env.Get("TALENTLMS_BASE_URL"); u != "" {
		lmsOpts = append(lmsOpts, talentlms.WithBaseURL(u))
	}
	lms, err := talentlms.New(env.Get("TALENTLMS_DOMAIN"), env.Get("TALENTLMS_API_KEY"), lmsOpts...)
	if err != nil {
		return nil, runner.Usagef("TalentLMS settings: %w", err)
	}
	var tr talenthr.Training
	if path := env.Get("TALENTHR_TRAINING_FILE"); path != "" {
		if tr, err = talenthr.OpenFileTraining(path); err != nil {
			return nil, runner.Usagef("TALENTHR_TRAINING_FILE: %w", err)
		}
		fmt.Fprintf(log, "%s: courses and progress on the TalentHR side are kept in %s.\n", name, path)
	} else {
		fmt.Fprintf(log, "%s: note: TALENTHR_TRAINING_FILE is not set: people only (TalentHR's API has no training endpoint).\n", name)
	}
	about := map[jobs.Direction]string{jobs.HRToLMS: "TalentHR -> TalentLMS (%s)", jobs.LMSToHR: "TalentLMS (%s) -> TalentHR",
		jobs.TwoWay: "TalentHR <-> TalentLMS (%s)"}[dir]
	about = fmt.Sprintf(about, lms.Domain())
	branch := env.Get("TALENTLMS_BRANCH")
	if branch != "" {
		about += ", branch " + branch
	}
	return &runner.Pair{About: about, Config: config(hr, lms, dir, branch, tr)}, nil
}
