package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talentlms"
)

// realPair builds both clients from the environment. No call is made
// until the runner plans.
func realPair(_ context.Context, get func(string) string, log io.Writer, o options) (*runner.Pair, error) {
	var hrOpts []talenthr.Option
	if u := get("TALENTHR_BASE_URL"); u != "" {
		hrOpts = append(hrOpts, talenthr.WithBaseURL(u))
	}
	hr, err := talenthr.New(get("TALENTHR_API_KEY"), hrOpts...)
	if err != nil {
		return nil, runner.Usagef("TalentHR settings: %w", err)
	}
	var lmsOpts []talentlms.Option
	if u := get("TALENTLMS_BASE_URL"); u != "" {
		lmsOpts = append(lmsOpts, talentlms.WithBaseURL(u))
	}
	lms, err := talentlms.New(get("TALENTLMS_DOMAIN"), get("TALENTLMS_API_KEY"), lmsOpts...)
	if err != nil {
		return nil, runner.Usagef("TalentLMS settings: %w", err)
	}
	var tr talenthr.Training
	if path := get("TALENTHR_TRAINING_FILE"); path != "" {
		ft, err := openTrainingFile(path)
		if err != nil {
			return nil, runner.Usagef("TALENTHR_TRAINING_FILE: %w", err)
		}
		tr = ft
		fmt.Fprintf(log, "%s: courses and progress on the TalentHR side are kept in %s.\n", name, path)
	} else {
		fmt.Fprintf(log, "%s: note: TALENTHR_TRAINING_FILE is not set: people only (TalentHR's API has no training endpoint).\n", name)
	}
	about := "TalentHR -> TalentLMS (" + lms.Domain() + ")"
	switch o.direction {
	case "lms-to-hr":
		about = "TalentLMS (" + lms.Domain() + ") -> TalentHR"
	case "two-way":
		about = "TalentHR <-> TalentLMS (" + lms.Domain() + ")"
	}
	branch := get("TALENTLMS_BRANCH")
	if branch != "" {
		about += ", branch " + branch
	}
	return &runner.Pair{About: about, Config: config(hr, lms, o, branch, tr)}, nil
}
