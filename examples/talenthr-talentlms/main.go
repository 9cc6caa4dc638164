// Command talenthr-talentlms syncs TalentHR and TalentLMS in the direction
// -direction names, as TalentHR's own integration does: the
// jobs.TalentHRTalentLMS preset on the examples' runner (examples/runner),
// with courses and training progress, and -watch for the automatic sync.
// With no credentials in the environment it runs on in-process fakes; -h
// lists the flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talentlms"
)

const name = "talenthr-talentlms"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program with its arguments (without its name), environment
// and writers; it returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, rest, err := parseOptions(args)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return runner.ExitUsage
	case o.help:
		ownUsage(stderr)
		return runner.Run(ctx, program(o), []string{"-h"}, getenv, stdout, stderr)
	case o.direction == "":
		fmt.Fprintf(stderr, "%s: -direction is required: hr-to-lms, lms-to-hr or two-way (run %s -h for the flags)\n", name, name)
		return runner.ExitUsage
	case o.watch:
		return watch(ctx, o, rest, getenv, stdout, stderr)
	}
	return runner.Run(ctx, program(o), rest, getenv, stdout, stderr)
}

// program is the runner's view of the job in o's direction.
func program(o options) *runner.Program {
	p := &runner.Program{
		Name:    name,
		Summary: "Syncs TalentHR and TalentLMS as TalentHR's own integration does, in the direction -direction names.",
		Source:  "TalentHR", Target: "TalentLMS",
		Nouns:  runner.Nouns{Source: "employee", Target: "learner"},
		Preset: mapping.PresetTalentHRTalentLMS,
		Vars:   vars,
		Real: func(ctx context.Context, env runner.Env, log io.Writer) (*runner.Pair, error) {
			return realPair(ctx, env.Get, log, o)
		},
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) { return fakes(fs, o) },
	}
	switch o.direction {
	case jobs.LMSToHR:
		p.Source, p.Target, p.Nouns = "TalentLMS", "TalentHR", runner.Nouns{Source: "learner", Target: "employee"}
		p.Preset = mapping.PresetTalentLMSTalentHR
	case jobs.TwoWay:
		p.Target = "TalentLMS (both ways)"
	}
	return p
}

// vars are the real accounts' environment.
var vars = []runner.Var{
	{Name: "TALENTHR_API_KEY", Usage: "TalentHR API key (Settings, Domain settings, API)"},
	{Name: "TALENTHR_BASE_URL", Usage: "optional: a proxy, ending in /v1", Kind: runner.Optional},
	{Name: "TALENTLMS_DOMAIN", Usage: "the portal's domain (acme.talentlms.com)"},
	{Name: "TALENTLMS_API_KEY", Usage: "TalentLMS API key (Account & Settings, Integrations, API)"},
	{Name: "TALENTLMS_BASE_URL", Usage: "optional: a proxy, ending in /api/v1", Kind: runner.Optional},
	{Name: "TALENTLMS_BRANCH", Usage: "optional: sync one branch only, by name or id", Kind: runner.Optional},
	{Name: "TALENTHR_TRAINING_FILE", Usage: "optional: where courses and progress are kept on the TalentHR side", Kind: runner.Optional},
}

// config is the job on two clients, for the runner's Pair; a nil map is
// the preset's (-map replaces the map of the direction's first preset).
func config(hr *talenthr.Client, lms *talentlms.Client, o options, branch string, tr talenthr.Training) func(*mapping.Map) (syncengine.Config, error) {
	return func(m *mapping.Map) (syncengine.Config, error) {
		jo := jobs.TalentHRTalentLMSOptions{Direction: o.direction, Branch: branch, Training: tr, ShowSensitive: o.showSensitive}
		if o.direction == jobs.LMSToHR {
			jo.LMSToHRMap = m
		} else {
			jo.HRToLMSMap = m
		}
		return jobs.TalentHRTalentLMS(hr, lms, jo)
	}
}
