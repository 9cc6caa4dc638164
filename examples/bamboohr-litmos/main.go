// Command bamboohr-litmos syncs BambooHR employees whose "Litmos Access" box is ticked into
// Litmos as learners: the jobs.BambooHRLitmos preset on the examples' runner (examples/runner).
// With no credentials in the environment it runs on in-process fakes; -h lists the flags.
package main

import (
	"log/slog"
	"net/http"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

func main() { runner.Main(program()) }

func program() *runner.Program {
	return &runner.Program{
		Name:    "bamboohr-litmos",
		Summary: `Syncs BambooHR employees whose "Litmos Access" box is ticked into Litmos as learners.`,
		Source:  "BambooHR",
		Target:  "Litmos",
		Nouns:   runner.Nouns{Source: "employee", Target: "learner", Refs: "manager"},
		Preset:  mapping.PresetBambooHRLitmos,
		Vars:    vars,
		Webhook: &runner.Webhook{Path: "/webhooks/bamboohr", KeyVar: "BAMBOOHR_WEBHOOK_KEY", Handler: receiver},
		Real:    realPair,
		Fakes:   fakes,
	}
}

// vars are the real accounts' environment: BambooHR's key pasted, or a login.
var vars = []runner.Var{
	{Name: "BAMBOOHR_SUBDOMAIN", Usage: "company subdomain (acme for acme.bamboohr.com)"},
	{Name: "BAMBOOHR_API_KEY", Usage: "API key of a user who sees every employee; or the next three", Alt: "key"},
	{Name: "BAMBOOHR_USER", Usage: "that user's email or username, to log in instead", Alt: "login"},
	{Name: "BAMBOOHR_PASSWORD", Usage: "their password: used for one login call, never stored or printed", Alt: "login"},
	{Name: "BAMBOOHR_APPLICATION_KEY", Usage: "a partner application key (BambooHR Marketplace partners)", Alt: "login"},
	{Name: "BAMBOOHR_BASE_URL", Usage: "optional: a proxy, or the legacy gateway URL", Kind: runner.Optional},
	{Name: "BAMBOOHR_ACCESS_FIELD", Usage: `optional: the scoping checkbox (default "Litmos Access")`, Kind: runner.Optional},
	{Name: "LITMOS_API_KEY", Usage: "Litmos API key"},
	{Name: "LITMOS_SOURCE", Usage: "your application's name, sent on every Litmos call"},
	{Name: "LITMOS_BASE_URL", Usage: "optional: https://api.litmoseu.com/v1.svc (EU) and the like", Kind: runner.Optional},
	{Name: "BAMBOOHR_WEBHOOK_KEY", Usage: "the webhook's private key, for -serve", Kind: runner.ForServe},
}

// receiver verifies BambooHR's deliveries and queues the employees they name.
func receiver(key string, q *syncengine.Queue, log *slog.Logger) http.Handler {
	return (&bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret(key), Logger: log}).Handler(bamboohr.Enqueue(q))
}

// pair is the preset on two clients; a nil map is the preset's.
func pair(about string, hr *bamboohr.Client, lms *litmos.Client, access string) *runner.Pair {
	return &runner.Pair{About: about, Config: func(m *mapping.Map) (syncengine.Config, error) {
		return jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{Map: m, AccessField: access})
	}}
}
