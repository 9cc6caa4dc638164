package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/examples/runner"
)

// result is one run of the program.
type result struct {
	code        int
	out, stderr string
	tmp         string // the TMPDIR it was given
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.stderr)
}

// testNow pins the fakes' clock, so the output is the same every run.
var testNow = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// runMain runs the program with env (plus a TMPDIR of its own) and args.
func runMain(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	fakeNow = func() time.Time { return testNow }
	t.Cleanup(func() { fakeNow = time.Now })
	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	if env["TMPDIR"] == "" {
		env["TMPDIR"] = t.TempDir()
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
	return result{code, out.String(), errb.String(), env["TMPDIR"]}
}

// Each direction plans on the fakes, writing nothing, and names what it
// would do the way its people would.
func TestPlanEachDirection(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want []string
	}{
		{"hr-to-lms", []string{"running on in-process fakes of TalentHR and TalentLMS", "Plan (TalentHR -> TalentLMS):",
			"+ create      3    Zoë Ñúñez-O'Brien", "- deactivate  6    Ed Silva", "terminated in TalentHR",
			"Nothing was written. Run again with -apply"}},
		{"lms-to-hr", []string{"running on in-process fakes of TalentLMS and TalentHR", "Plan (TalentLMS -> TalentHR):",
			"+ create      4      Lena Park", "inactive in TalentLMS; not created", "Ana Lima in Security Awareness"}},
		{"two-way", []string{"Plan (TalentHR -> TalentLMS (both ways)):", "+ create      4      Lena Park",
			"+ create      3      Zoë Ñúñez-O'Brien"}},
	} {
		r := runMain(t, nil, "-direction", tc.dir)
		if r.code != 0 {
			t.Errorf("%s: %s", tc.dir, r)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.dir, w, r.out)
			}
		}
	}
}

// -apply on the fakes writes the plan and reports it; with -state the
// next run finds nothing to do (the same fakes are seeded afresh, so the
// runner refuses a state that links records: a fresh directory is used).
func TestApplyEachDirection(t *testing.T) {
	for _, dir := range []string{"hr-to-lms", "lms-to-hr", "two-way"} {
		report := filepath.Join(t.TempDir(), "report.csv")
		r := runMain(t, nil, "-direction", dir, "-apply", "-report", report)
		if r.code != 0 || !strings.Contains(r.out, "Applied in ") {
			t.Errorf("%s: %s", dir, r)
			continue
		}
		b, err := os.ReadFile(report)
		if err != nil || !strings.HasPrefix(string(b), "collection,talenthr_id,name,email,talentlms_id,action,fields,reason\n") {
			t.Errorf("%s: report %q %v", dir, b, err)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no direction", nil, nil, "-direction is required: hr-to-lms, lms-to-hr or two-way"},
		{"a bad direction", nil, []string{"-direction", "up"}, `-direction "up": want hr-to-lms, lms-to-hr or two-way`},
		{"-direction without a value", nil, []string{"-direction"}, "flag needs an argument: -direction"},
		{"-poll without -watch", nil, []string{"-direction", "two-way", "-poll", "1m"}, "-poll applies to -watch only"},
		{"a bad -poll", nil, []string{"-direction", "two-way", "-watch", "-poll", "soon"}, `-poll "soon": want a positive duration`},
		{"-watch with -apply", nil, []string{"-direction", "two-way", "-watch", "-apply"}, "-watch takes only -state, -v and, on the fakes, -branch"},
		{"an unknown fake branch", nil, []string{"-direction", "two-way", "-branch", "Legal"}, `-branch "Legal": the fake portal has the branches Sales and Engineering`},
		{"-branch on real accounts", realEnv(), []string{"-direction", "two-way", "-branch", "Sales"}, "-branch applies to the built-in fakes only"},
		{"partial credentials", map[string]string{"TALENTHR_API_KEY": "thr-sekrit"}, []string{"-direction", "hr-to-lms"},
			"missing environment variables TALENTLMS_DOMAIN, TALENTLMS_API_KEY (TALENTHR_API_KEY set)"},
		{"a lone optional variable", map[string]string{"TALENTLMS_BRANCH": "Sales"}, []string{"-direction", "hr-to-lms"},
			"TALENTLMS_BRANCH set, but no credentials"},
		{"a bad portal domain", withEnv(realEnv(), map[string]string{"TALENTLMS_DOMAIN": "https://acme.talentlms.com/x"}),
			[]string{"-direction", "hr-to-lms"}, "TalentLMS settings"},
	} {
		r := runMain(t, tc.env, tc.args...)
		if r.code != runner.ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: want exit 2 saying %q, got\n%s", tc.name, tc.want, r)
		}
		for _, secret := range []string{"thr-sekrit", "lms-sekrit"} {
			if strings.Contains(r.out+r.stderr, secret) {
				t.Errorf("%s: a key is in the output", tc.name)
			}
		}
	}
}

// -h describes the program's own flags, then the runner's.
func TestHelp(t *testing.T) {
	r := runMain(t, nil, "-h")
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, w := range []string{"-direction hr-to-lms|lms-to-hr|two-way", "-show-sensitive", "-watch", "-poll DURATION", "usage: talenthr-talentlms", "-apply"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("usage lacks %q:\n%s", w, r.stderr)
		}
	}
}

// run is the program with its arguments (without its name), environment
// and writers; it returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runner.Run(ctx, program(), args, getenv, stdout, stderr)
}

// realEnv is a real-account environment (the keys are placeholders).
func realEnv() map[string]string {
	return map[string]string{"TALENTHR_API_KEY": "thr-sekrit", "TALENTLMS_DOMAIN": "acme.talentlms.com", "TALENTLMS_API_KEY": "lms-sekrit"}
}

// withEnv returns base with extra added, as a new map.
func withEnv(base, extra map[string]string) map[string]string {
	m := maps.Clone(base)
	maps.Copy(m, extra)
	return m
}
