package runner

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// Program is what an example tells the runner about its pair. Everything
// else — flags, the choice between real accounts and fakes, plan and
// report output, progress, saved plans, the webhook server, exit codes —
// is the runner's.
type Program struct {
	// Name is the command's name ("bamboohr-litmos"): messages start with
	// it, and default report files are named after it.
	Name string
	// Summary is the usage text's first paragraph.
	Summary string
	// Source and Target name the two systems ("BambooHR", "Litmos").
	Source, Target string
	// Nouns name their records in output.
	Nouns Nouns
	// Preset is the mapping preset the pair uses by default: -print-map
	// prints it, -map replaces it.
	Preset string
	// Vars are the real accounts' environment variables.
	Vars []Var
	// Directions, when set, are the ways the program syncs, and
	// -direction NAME (required) picks one; OnDirection then receives its
	// name, before Real or the fakes' builder run (see Direction).
	Directions  []Direction
	OnDirection func(name string)
	// Sensitive, when set, names the values the engine hides ("SSNs and
	// dates of birth"): -show-sensitive shows them (Config.ShowSensitive).
	Sensitive string
	// Watch, when set, gives the program -watch: its automatic sync.
	Watch *Watch
	// Webhook is the source's webhook receiver, for -serve and the tour;
	// nil: the program has no -serve.
	Webhook *Webhook
	// Real builds the pair on real accounts from the environment. An error
	// wrapping ErrUsage (see Usagef) exits 2; log receives notes for the
	// user (a login), never a secret.
	Real func(ctx context.Context, env Env, log io.Writer) (*Pair, error)
	// Flags, when set, registers the program's own flags, which real
	// accounts and fakes alike take (hibob-learnamp's -invite); Real and
	// the fakes' builder run after the flags are parsed, so they read the
	// values. Their names must not be the runner's.
	Flags func(fs *flag.FlagSet)
	// Fakes registers the flags that only make sense on the fakes
	// (-employees N) and returns the function that starts the fakes with
	// them. The runner refuses those flags with real accounts.
	Fakes func(fs *flag.FlagSet) func(ctx context.Context) (*Fake, error)
	// Modes are the program's own modes, each run by its flag instead of
	// a sync (see Mode).
	Modes []Mode
}

// Nouns name records in output, in the singular: "employee" (the
// source's), "learner" (the target's) and "manager" (what the references
// pass writes). Plurals add an "s".
type Nouns struct {
	Source, Target, Refs string
}

// VarKind says what an environment variable does.
type VarKind int

// Kinds of variables.
const (
	// Required variables must all be set for real accounts; setting any
	// of them switches the run to real accounts.
	Required VarKind = iota
	// Optional variables refine a real-account run; set alone they would
	// do nothing, so the runner refuses them.
	Optional
	// ForServe is the webhook's key, read by -serve on real accounts and
	// fakes alike (Webhook.KeyVar).
	ForServe
)

// Var is one environment variable of the real accounts.
type Var struct {
	Name  string
	Usage string
	Kind  VarKind
	// Alt groups required variables that are alternatives to each other:
	// exactly one group ("key", "login") must be set in full.
	Alt string
}

// Env reads the environment the runner was given.
type Env struct{ getenv func(string) string }

// Get returns the variable's value with surrounding space trimmed.
func (e Env) Get(name string) string { return strings.TrimSpace(e.getenv(name)) }

// Raw returns the variable's value as given (a password may have spaces).
func (e Env) Raw(name string) string { return e.getenv(name) }

// Pair is a built pair: how to configure its engine.
type Pair struct {
	// About is printed first on real accounts: "BambooHR (acme) -> Litmos".
	About string
	// Config returns the pair's engine configuration with users as its
	// map; nil users: the preset's. The runner adds the state directory
	// and the progress callbacks.
	Config func(users *mapping.Map) (syncengine.Config, error)
}

// Fake is a pair on in-process fakes, seeded with a company.
type Fake struct {
	Pair
	// Tour is what happens in the source after a fake run applies its
	// whole plan (-apply without -only, -plan, -json or -serve), one step
	// at a time, each delivered as a webhook; then the runner plans again.
	// With -watch, one step is made after each run that succeeds.
	Tour []Step
	// Leavers is how many people with a target record Leave may take out
	// of the source; Leave makes n of them leave at once (terminated, no
	// webhook), after the tour's steps: -fake-leavers N, to show the
	// deactivation threshold holding the re-run.
	Leavers int
	Leave   func(n int)
	// Close stops the fakes when the run ends.
	Close func()
}

// Step is one change of the tour.
type Step struct {
	// Say says what happens: "Bo Chen is promoted to Senior Software Engineer".
	Say string
	// Change makes the change in the fake source.
	Change func()
	// Deliver sends the source's webhook for the change to url, signed
	// with key, and returns the receiver's status; nil: none is sent.
	Deliver func(ctx context.Context, url, key string) (int, error)
}

// Webhook is the source's webhook receiver.
type Webhook struct {
	// Path is where it listens: "/webhooks/bamboohr".
	Path string
	// KeyVar names the variable that holds the webhook's private key.
	KeyVar string
	// Handler verifies deliveries signed with key and hands the records
	// they name to q; log gets one record per delivery.
	Handler func(key string, q *syncengine.Queue, log *slog.Logger) http.Handler
}
