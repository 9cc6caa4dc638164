package runner_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
)

func run(t *testing.T, p *runner.Program, args ...string) (code int, stdout, stderr, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	var out, errb bytes.Buffer
	code = runner.Run(context.Background(), p, args, func(k string) string {
		if k == "TMPDIR" {
			return tmp
		}
		return ""
	}, &out, &errb)
	return code, out.String(), errb.String(), tmp
}

// Exit statuses: 0 done, 2 usage, 3 pending with -detailed-exitcode; the
// temp directory is left as found but for an apply's default report.
func TestExitCodes(t *testing.T) {
	p := memProgram(3)
	for _, tt := range []struct {
		args  []string
		code  int
		files int
	}{
		{nil, runner.ExitOK, 0},
		{[]string{"-detailed-exitcode"}, runner.ExitPending, 0},
		{[]string{"-apply"}, runner.ExitOK, 1},
		{[]string{"-nope"}, runner.ExitUsage, 0},
		{[]string{"-only", "9"}, runner.ExitUsage, 0},
		{[]string{"-apply", "-only", "9"}, runner.ExitUsage, 0},
	} {
		code, out, stderr, tmp := run(t, p, tt.args...)
		if code != tt.code {
			t.Errorf("%q: exit %d, want %d\n%s\n%s", tt.args, code, tt.code, out, stderr)
		}
		left, _ := os.ReadDir(tmp)
		if len(left) != tt.files || (tt.files == 1 && !strings.HasPrefix(left[0].Name(), "hr-lms-report-")) {
			t.Errorf("%q left %v in the temp directory", tt.args, left)
		}
	}
}

// A program without a preset, webhook or tour still runs; -print-map says
// what is missing.
func TestMinimalProgram(t *testing.T) {
	code, out, _, _ := run(t, memProgram(2), "-apply")
	if code != 0 || !strings.Contains(out, "seeded with 2 people.") || !strings.Contains(out, "2 created") ||
		strings.Contains(out, "Webhooks") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if code, _, stderr, _ := run(t, memProgram(2), "-print-map"); code == 0 || stderr == "" {
		t.Errorf("-print-map without a preset: exit %d, %q", code, stderr)
	}
}
