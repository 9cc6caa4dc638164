package runner_test

import (
	"context"
	"flag"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// twoWays is memProgram with two directions, recording the choice in
// chosen, and the email a sensitive field.
func twoWays(chosen *[]string) *runner.Program {
	p := memProgram(2)
	p.Source, p.Target, p.Nouns = "", "", runner.Nouns{}
	p.Directions = []runner.Direction{
		{Name: "hr-to-lms", Usage: "HR to LMS", Source: "HR", Target: "LMS", Nouns: runner.Nouns{Source: "person", Target: "user"},
			Preset: mapping.PresetBambooHRLitmos},
		{Name: "lms-to-hr", Usage: "LMS to HR", Source: "LMS", Target: "HR", Nouns: runner.Nouns{Source: "user", Target: "person"},
			Preset: mapping.PresetTalentLMSTalentHR},
	}
	p.OnDirection = func(d string) { *chosen = append(*chosen, d) }
	p.Sensitive = "SSNs"
	fakes := p.Fakes
	p.Fakes = func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
		build := fakes(fs)
		return func(ctx context.Context) (*runner.Fake, error) {
			f, err := build(ctx)
			if err != nil {
				return nil, err
			}
			config := f.Config
			f.Config = func(m *mapping.Map) (syncengine.Config, error) {
				cfg, err := config(m)
				cfg.Collections[0].AToB.Sensitive = []string{"email"}
				return cfg, err
			}
			f.Tour = nil
			return f, nil
		}
	}
	return p
}

// -direction is required and must name a direction; the chosen one names
// the systems, its nouns and its preset, and reaches OnDirection before
// the fakes start.
func TestDirections(t *testing.T) {
	var chosen []string
	p := twoWays(&chosen)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "-direction is required: hr-to-lms or lms-to-hr (run hr-lms -h for the flags)"},
		{[]string{"-direction", "up"}, `-direction "up": want hr-to-lms or lms-to-hr`},
		{[]string{"-direction"}, "flag needs an argument: -direction"},
	} {
		if code, _, stderr, _ := run(t, p, tc.args...); code != runner.ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, want 2 saying %q:\n%s", tc.args, code, tc.want, stderr)
		}
	}
	if len(chosen) != 0 {
		t.Errorf("OnDirection called with %q on usage errors", chosen)
	}
	code, out, stderr, _ := run(t, p, "-direction", "lms-to-hr")
	if code != 0 || !strings.Contains(out, "fakes of LMS and HR") || !strings.Contains(out, "links between users and persons") {
		t.Errorf("lms-to-hr: exit %d\n%s\n%s", code, out, stderr)
	}
	if len(chosen) != 1 || chosen[0] != "lms-to-hr" {
		t.Errorf("OnDirection got %q, want [lms-to-hr]", chosen)
	}
	_, out, _, _ = run(t, p, "-direction", "lms-to-hr", "-print-map")
	want, _ := mapping.Preset(mapping.PresetTalentLMSTalentHR)
	var b strings.Builder
	_ = want.Save(&b)
	if out != b.String() {
		t.Errorf("-print-map printed another preset than lms-to-hr's:\n%s", out)
	}
	code, _, stderr, _ = run(t, p, "-h")
	if code != 0 || !strings.Contains(stderr, "[-direction hr-to-lms|lms-to-hr]") ||
		!strings.Contains(stderr, "which way records flow (required), hr-to-lms|lms-to-hr: HR to LMS; LMS to HR") ||
		!strings.Contains(stderr, "show SSNs in plans and reports (hidden by default)") {
		t.Errorf("-h: exit %d\n%s", code, stderr)
	}
}

// -show-sensitive shows the values the engine hides, which are hidden
// without it.
func TestShowSensitive(t *testing.T) {
	var chosen []string
	p := twoWays(&chosen)
	_, out, _, _ := run(t, p, "-direction", "hr-to-lms", "-v")
	if !strings.Contains(out, "lms.email = (hidden: sensitive)") || strings.Contains(out, `lms.email = "p1@example.com"`) {
		t.Errorf("without -show-sensitive the email is not hidden:\n%s", out)
	}
	_, out, _, _ = run(t, p, "-direction", "hr-to-lms", "-v", "-show-sensitive")
	if strings.Contains(out, "(hidden: sensitive)") || !strings.Contains(out, `lms.email = "p1@example.com"`) {
		t.Errorf("-show-sensitive does not show the email:\n%s", out)
	}
	if code, _, stderr, _ := run(t, memProgram(1), "-show-sensitive"); code != runner.ExitUsage {
		t.Errorf("-show-sensitive on a program without sensitive fields: exit %d\n%s", code, stderr)
	}
}
