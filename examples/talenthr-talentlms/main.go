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
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/schedule"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talentlms"
)

const name = "talenthr-talentlms"

// watchClock is the automatic sync's clock; tests use a manual one.
var watchClock schedule.Clock = schedule.SystemClock{}

func main() { runner.Main(program()) }

func program() *runner.Program {
	dir := jobs.HRToLMS // -direction, set once the flags are parsed
	hr, lms := runner.Nouns{Source: "employee", Target: "learner"}, runner.Nouns{Source: "learner", Target: "employee"}
	return &runner.Program{
		Name:    name,
		Summary: "Syncs TalentHR and TalentLMS as TalentHR's own integration does, in the direction -direction names.",
		Directions: []runner.Direction{
			{Name: string(jobs.HRToLMS), Usage: "TalentHR to TalentLMS", Source: "TalentHR", Target: "TalentLMS", Nouns: hr, Preset: mapping.PresetTalentHRTalentLMS},
			{Name: string(jobs.LMSToHR), Usage: "TalentLMS to TalentHR", Source: "TalentLMS", Target: "TalentHR", Nouns: lms, Preset: mapping.PresetTalentLMSTalentHR},
			{Name: string(jobs.TwoWay), Usage: "both, TalentLMS never overwriting TalentHR", Source: "TalentHR", Target: "TalentLMS (both ways)",
				Nouns: hr, Preset: mapping.PresetTalentHRTalentLMS},
		},
		OnDirection: func(d string) { dir = jobs.Direction(d) },
		Sensitive:   "SSNs and dates of birth",
		Watch: &runner.Watch{
			Usage: "run the automatic sync until interrupted: a manual sync first, then TalentHR polled every -poll, " +
				"a full sync 12 hours later and every 24 hours",
			Poll: 5 * time.Minute, PollUsage: "with -watch: how often TalentHR is polled for changes, every `DURATION` (default 5m)",
			Tasks: func(eng *syncengine.Engine, cfg syncengine.Config, poll time.Duration) ([]schedule.Task, error) {
				return jobs.TalentHRTalentLMSTasks(eng, cfg, jobs.TalentHRTalentLMSSchedule{Poll: poll})
			},
			First: jobs.TalentLMSTask, Clock: watchClock, About: func(poll time.Duration) string {
				s := fmt.Sprintf("TalentHR is polled every %s (it has no webhooks) and its changes applied at once;", poll)
				if dir == jobs.LMSToHR {
					s = "TalentHR's changes do not flow in this direction;"
				}
				return "Watching: " + s + "\na full sync carries TalentLMS's changes 12 hours after activation, then every 24 hours."
			},
		},
		Vars: vars,
		Real: func(_ context.Context, env runner.Env, log io.Writer) (*runner.Pair, error) {
			return realPair(env, log, dir)
		},
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) { return fakes(fs, &dir) },
	}
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
func config(hr *talenthr.Client, lms *talentlms.Client, dir jobs.Direction, branch string, tr talenthr.Training) func(*mapping.Map) (syncengine.Config, error) {
	return func(m *mapping.Map) (syncengine.Config, error) {
		o := jobs.TalentHRTalentLMSOptions{Direction: dir, Branch: branch, Training: tr, HRToLMSMap: m}
		if dir == jobs.LMSToHR {
			o.HRToLMSMap, o.LMSToHRMap = nil, m
		}
		return jobs.TalentHRTalentLMS(hr, lms, o)
	}
}
