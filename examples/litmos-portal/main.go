// Command litmos-portal syncs Litmos courses, teams and users into a
// portal of your own on SQLite (the portal package is its connector), and
// assigns Litmos courses to portal users as remediation training: the
// jobs.LitmosPlatform preset on the examples' runner (examples/runner).
// With no credentials in the environment it runs on an in-process Litmos
// fake; -h lists the flags.
package main

import (
	"context"
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

// run runs the program on the shared runner, closing the portal's database at the end.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	s := &session{getenv: getenv, stderr: stderr}
	defer s.close()
	return runner.Run(ctx, program(s), args, getenv, stdout, stderr)
}

func program(s *session) *runner.Program {
	return &runner.Program{
		Name: "litmos-portal",
		Summary: "Syncs Litmos courses, teams (as groups) and users into the portal's SQLite database (-db), and assigns\n" +
			"Litmos courses to portal users as remediation (-assign).",
		Source: "Litmos", Target: "Portal",
		Nouns:  runner.Nouns{Source: "user", Target: "portal user", Refs: "membership"},
		Preset: mapping.PresetLitmosPlatform,
		Vars: []runner.Var{
			{Name: "LITMOS_API_KEY", Usage: "Litmos API key (an Account Owner's)"},
			{Name: "LITMOS_SOURCE", Usage: "your application's name, sent on every Litmos call"},
			{Name: "LITMOS_BASE_URL", Usage: "optional: https://api.litmoseu.com/v1.svc (EU) and the like", Kind: runner.Optional},
		},
		Flags: s.flags, Real: s.realPair, Fakes: s.fakes,
		Modes: []runner.Mode{
			{Flag: "test-connection", Usage: "check the Litmos key, the source and that a team exists, then exit", Run: s.testConnection},
			{Flag: "assign", Arg: "EMAIL=COURSE_ID[,COURSE_ID]", Usage: "assign Litmos courses to the portal user EMAIL (writes only with -apply)",
				Takes: []string{"db", "state", "apply"}, Run: s.assign},
		},
	}
}
