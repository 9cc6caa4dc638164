package runner

import (
	"context"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
)

// Flags that contradict each other, or would do nothing together, are
// refused, naming both.
func TestConflictingFlags(t *testing.T) {
	value := map[string]string{"serve": "127.0.0.1:0", "only": "1", "plan": "p.json", "plan-out": "p.json",
		"report": "r.csv", "map": "m.json"}
	for _, c := range conflicts {
		var args []string
		for _, f := range []string{c.a, c.b} {
			args = append(args, "-"+f)
			if v, ok := value[f]; ok {
				args = append(args, v)
			}
		}
		r := &run{p: &Program{Name: "x", Webhook: &Webhook{}}}
		_, err := r.parse(args)
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-"+c.a+" and -"+c.b) {
			t.Errorf("%q: %v, want a usage error naming both", args, err)
		}
	}
}

// Without a webhook receiver there is no -serve.
func TestNoServeWithoutWebhook(t *testing.T) {
	r := &run{p: &Program{Name: "x"}}
	if _, err := r.parse([]string{"-serve", ":0"}); err == nil || !strings.Contains(err.Error(), "-serve") {
		t.Errorf("-serve without a receiver: %v", err)
	}
}

// A program's own flags (Program.Flags) are parsed with the runner's, on
// real accounts and fakes alike: they are not fake-only, and the usage
// lists them.
func TestProgramFlags(t *testing.T) {
	var level string
	p := &Program{Name: "x", Flags: func(fs *flag.FlagSet) { fs.StringVar(&level, "level", "low", "the `LEVEL`") },
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*Fake, error) {
			fs.Int("employees", 1, "fakes only")
			return nil
		}}
	r := &run{p: p}
	o, err := r.parse([]string{"-level", "high", "-apply"})
	if err != nil || level != "high" || !o.apply {
		t.Fatalf("parse: %v, level %q, apply %v", err, level, o.apply)
	}
	if slices.Contains(o.fakeOnly, "level") || !slices.Contains(o.fakeOnly, "employees") {
		t.Errorf("fake-only flags %v: want employees, not level", o.fakeOnly)
	}
	r.o = o
	if err := r.checkMode(true); err != nil {
		t.Errorf("a program flag on real accounts: %v", err)
	}
	var usage strings.Builder
	r.usage(&usage)
	if !strings.Contains(usage.String(), "[-level LEVEL]") {
		t.Errorf("usage lacks -level:\n%s", usage.String())
	}
}
