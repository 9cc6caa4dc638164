// Command litmos-portal syncs Litmos courses, teams and users into a
// portal of your own on SQLite (the portal package is its connector), and
// assigns Litmos courses to portal users as remediation training: the
// jobs.LitmosPlatform preset on the examples' runner (examples/runner).
// With no credentials in the environment it runs on an in-process Litmos
// fake; -h lists the flags.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/mapping"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const summary = `Syncs Litmos courses, teams (as groups) and users into the portal's SQLite database, and assigns
Litmos courses to portal users (remediation). Its own flags, besides the runner's below:
  -db FILE             the portal's SQLite file (default: a new temp file with -apply, printed; none for a plan run)
  -content WHAT        courses, or courses-and-users (default)
  -teams all|NAME,...  every team (default; new ones included from then on), or these, by exact name or id
  -test-connection     check the Litmos key, the source and that a team exists, then exit
  -assign EMAIL=COURSE_ID[,COURSE_ID]  assign Litmos courses to the portal user EMAIL (writes only with -apply)`

// vars are the real account's environment.
var vars = []runner.Var{
	{Name: "LITMOS_API_KEY", Usage: "Litmos API key (an Account Owner's)"},
	{Name: "LITMOS_SOURCE", Usage: "your application's name, sent on every Litmos call"},
	{Name: "LITMOS_BASE_URL", Usage: "optional: https://api.litmoseu.com/v1.svc (EU) and the like", Kind: runner.Optional},
}

// run runs the program: the example's own modes (-test-connection,
// -assign), or the sync on the shared runner.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	own, rest, err := parseOwn(args)
	if err != nil {
		return usage(stderr, err)
	}
	env := environment{getenv: getenv, stderr: stderr}
	switch {
	case own.testConnection:
		return own.checkConnection(ctx, env, rest, stdout, stderr)
	case own.assign != "":
		return own.remediate(ctx, env, rest, stdout, stderr)
	}
	s := &session{own: own, env: env, apply: applying(rest), stderr: stderr}
	defer s.close()
	return runner.Run(ctx, s.program(), rest, getenv, stdout, stderr)
}

func program(s *session) *runner.Program {
	return &runner.Program{
		Name:    "litmos-portal",
		Summary: summary,
		Source:  "Litmos",
		Target:  "Portal",
		Nouns:   runner.Nouns{Source: "user", Target: "portal user", Refs: "membership"},
		Preset:  mapping.PresetLitmosPlatform,
		Vars:    vars,
		Real:    s.realPair,
		Fakes:   s.fakes,
	}
}

func (s *session) program() *runner.Program { return program(s) }

// usage prints a usage error and returns the runner's exit status for one.
func usage(w io.Writer, err error) int {
	io.WriteString(w, "litmos-portal: "+err.Error()+"\n")
	if errors.Is(err, runner.ErrUsage) {
		return runner.ExitUsage
	}
	return runner.ExitError
}
