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
	hr, err := talenthr.New(env.Get("TALENTHR_API_KEY"), runner.OptionIf(env, "TALENTHR_BASE_URL", talenthr.WithBaseURL)...)
	if err != nil {
		return nil, runner.Usagef("TalentHR settings: %w", err)
	}
	lms, err := talentlms.New(env.Get("TALENTLMS_DOMAIN"), env.Get("TALENTLMS_API_KEY"),
		runner.OptionIf(env, "TALENTLMS_BASE_URL", talentlms.WithBaseURL)...)
	if err != nil {
		return nil, runner.Usagef("TalentLMS settings: %w", err)
	}
	var tr talenthr.Training
	note := "note: TALENTHR_TRAINING_FILE is not set: people only (TalentHR's API has no training endpoint)."
	if path := env.Get("TALENTHR_TRAINING_FILE"); path != "" {
		if tr, err = talenthr.OpenFileTraining(path); err != nil {
			return nil, runner.Usagef("TALENTHR_TRAINING_FILE: %w", err)
		}
		note = "courses and progress on the TalentHR side are kept in " + path + "."
	}
	fmt.Fprintf(log, "%s: %s\n", name, note)
	about := fmt.Sprintf(map[jobs.Direction]string{jobs.HRToLMS: "TalentHR -> TalentLMS (%s)", jobs.LMSToHR: "TalentLMS (%s) -> TalentHR",
		jobs.TwoWay: "TalentHR <-> TalentLMS (%s)"}[dir], lms.Domain())
	branch := env.Get("TALENTLMS_BRANCH")
	if branch != "" {
		about += ", branch " + branch
	}
	return &runner.Pair{About: about, Config: config(hr, lms, dir, branch, tr)}, nil
}
