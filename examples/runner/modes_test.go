package runner_test

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
)

// A program's modes run instead of a sync: a switch and a flag with a
// value, each with the flags it takes; the pair is built once, on the
// fakes, only when the mode asks, and stopped after it; Store is a memory
// store naming the pair when no state directory links anything yet.
func TestModes(t *testing.T) {
	var log []string
	p := memProgram(2)
	fakes := p.Fakes
	p.Fakes = func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
		build := fakes(fs)
		return func(ctx context.Context) (*runner.Fake, error) {
			log = append(log, "build")
			f, err := build(ctx)
			f.Close = func() { log = append(log, "close") }
			return f, err
		}
	}
	p.Modes = []runner.Mode{
		{Flag: "ping", Usage: "say pong", Run: func(ctx context.Context, m runner.ModeRun) error {
			fmt.Fprintf(m.Stdout, "pong real=%v apply=%v\n", m.Real, m.Apply)
			return nil
		}},
		{Flag: "look", Arg: "WHAT", Usage: "look at WHAT", Takes: []string{"state", "apply"}, Run: func(ctx context.Context, m runner.ModeRun) error {
			if m.Value == "bad" {
				return runner.Usagef("-look: %q is bad", m.Value)
			}
			store, pair, closeStore, err := m.Store(ctx)
			if err != nil {
				return err
			}
			defer closeStore()
			links, err := store.Links(ctx, pair, "users")
			if _, err2 := m.Pair(ctx); err2 != nil || err != nil {
				return fmt.Errorf("%v %v", err, err2)
			}
			fmt.Fprintf(m.Stdout, "looked at %s: pair %s, %d links, apply=%v\n", m.Value, pair, len(links), m.Apply)
			return nil
		}},
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
		log  string
	}{
		{[]string{"-ping"}, 0, "pong real=false apply=false", ""},
		{[]string{"-ping=false"}, 0, "Plan (HR -> LMS)", "build close"}, // off: a plan run
		{[]string{"-look", "x", "-apply"}, 0, "looked at x: pair hr<->lms, 0 links, apply=true", "build close"},
		{[]string{"-look", "bad"}, 2, `-look: "bad" is bad`, ""},
		{[]string{"-ping", "-apply"}, 2, "-ping takes no other flag, not -apply", ""},
		{[]string{"-look", "x", "-v"}, 2, "-look takes -state and -apply only, not -v", ""},
		{[]string{"-look", "x", "-ping"}, 2, "-ping and -look do not go together", ""},
	} {
		log = nil
		code, out, stderr, _ := run(t, p, tc.args...)
		if code != tc.code || !strings.Contains(out+stderr, tc.want) || strings.Join(log, " ") != tc.log {
			t.Errorf("%q: exit %d, calls %q; want exit %d, %q and calls %q\n%s\n%s", tc.args, code, log, tc.code, tc.want, tc.log, out, stderr)
		}
	}
	if names := strings.Join(runner.FlagNames(p), " "); !strings.Contains(names, "ping") || !strings.Contains(names, "look") {
		t.Errorf("FlagNames = %s", names)
	}
}
