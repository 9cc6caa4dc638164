// Command hibob-learnamp syncs every HiBob employee into Learn Amp as a user, with a flat team
// per department: the jobs.HiBobLearnAmp preset on the examples' runner (examples/runner).
// With no credentials in the environment it runs on in-process fakes; -h lists the flags.
package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

func main() { runner.Main(program()) }

func program() *runner.Program {
	invite := jobs.InviteOnStartDate // -invite, read once the flags are parsed
	return &runner.Program{
		Name: "hibob-learnamp",
		Summary: "Syncs every HiBob employee into Learn Amp as a user, leavers deactivated, with a flat team per department.\n" +
			"-invite says when Learn Amp invites new users; Learn Amp can invite only as it creates a user, so on\n" +
			"\"start-date\" someone who starts later is created (and invited) on their start date.",
		Source: "HiBob", Target: "Learn Amp", Vars: vars,
		Nouns: runner.Nouns{Source: "employee", Target: "user", Refs: "manager"}, Preset: mapping.PresetHiBobLearnAmp,
		// The receiver verifies HiBob's deliveries and queues the employees they name.
		Webhook: &runner.Webhook{Path: "/webhooks/hibob", KeyVar: "HIBOB_WEBHOOK_SECRET", Handler: func(secret string, q *syncengine.Queue, log *slog.Logger) http.Handler {
			return (&hibob.WebhookVerifier{Secret: hibob.Secret(secret), Logger: log}).Handler(hibob.Enqueue(q))
		}},
		Flags: func(fs *flag.FlagSet) {
			fs.Func("invite", "when Learn Amp invites new users, `POLICY`: start-date (the default: people who have started at once, "+
				"later starters created and invited on their start date), now (everyone, as created), never (created with skipInvitation)",
				func(s string) (err error) { invite, err = jobs.ParseInvitePolicy(s); return err })
		},
		Real: func(_ context.Context, env runner.Env, _ io.Writer) (*runner.Pair, error) {
			return realPair(env, invite)
		},
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) { return fakes(fs, &invite) },
	}
}

// vars are the real accounts' environment.
var vars = []runner.Var{
	{Name: "HIBOB_SERVICE_USER_ID", Usage: "the ID of a HiBob service user who may view every employee, leavers included"},
	{Name: "HIBOB_TOKEN", Usage: "that service user's token"},
	{Name: "HIBOB_BASE_URL", Usage: "optional: https://api.sandbox.hibob.com/v1 (the sandbox) or a proxy; includes /v1", Kind: runner.Optional},
	{Name: "LEARNAMP_CLIENT_ID", Usage: "Learn Amp API key's client ID (Company Settings -> API)"},
	{Name: "LEARNAMP_CLIENT_SECRET", Usage: "its client secret"},
	{Name: "LEARNAMP_BASE_URL", Usage: "optional: the API Base URL from Company Settings -> API, with https:// and no /v1 (default https://api.learnamp.com)", Kind: runner.Optional},
	{Name: "LEARNAMP_SCOPES", Usage: `optional: "sync" for a key made with scopes (legacy keys need none)`, Kind: runner.Optional},
	{Name: "HIBOB_WEBHOOK_SECRET", Usage: "the webhook's secret from Bob's webhook settings, for -serve", Kind: runner.ForServe},
}

// pair is the preset on two clients; a nil map is the preset's.
func pair(about string, hr *hibob.Client, lms *learnamp.Client, o jobs.HiBobLearnAmpOptions) *runner.Pair {
	return &runner.Pair{About: about, Config: func(m *mapping.Map) (syncengine.Config, error) {
		o.Map = m
		return jobs.HiBobLearnAmp(hr, lms, o)
	}}
}

// inviteWords say what each policy does, for the run's first lines.
var inviteWords = map[jobs.InvitePolicy]string{
	jobs.InviteNow:   "-invite now: everyone is invited as created, later starters included.",
	jobs.InviteNever: "-invite never: users are created without an invitation.",
	jobs.InviteOnStartDate: "-invite start-date: people who have started are invited as created; later starters are created,\n" +
		"invited, on their start date.",
}
