package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// result is one run of the program.
type result struct {
	code        int
	out, stderr string
	tmp         string // the TMPDIR it was given
}

// runMain runs the program with env (plus a TMPDIR of its own) and args.
func runMain(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	if env["TMPDIR"] == "" {
		env["TMPDIR"] = t.TempDir()
	}
	var out, errb bytes.Buffer
	code := runner.Run(context.Background(), program(), args, func(k string) string { return env[k] }, &out, &errb)
	return result{code, out.String(), errb.String(), env["TMPDIR"]}
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.stderr)
}

// withEnv returns base with extra added, as a new map.
func withEnv(base, extra map[string]string) map[string]string {
	m := maps.Clone(base)
	maps.Copy(m, extra)
	return m
}

// realEnv is the real-account environment without BambooHR's key or login.
var realEnv = map[string]string{"BAMBOOHR_SUBDOMAIN": "acme", "LITMOS_API_KEY": "sekrit-litmos-key", "LITMOS_SOURCE": "test"}

// fakeAccounts is a real-accounts environment pointed at two fakes; Ana
// Lima has Litmos Access.
func fakeAccounts(t *testing.T) (*bamboohrtest.Server, *litmostest.Server, map[string]string) {
	hr := bamboohrtest.NewServer(t)
	lms := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	hr.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@acme.example",
		"department": "Procurement", bamboohrtest.LitmosAccessAlias: "yes"})
	return hr, lms, map[string]string{
		"BAMBOOHR_SUBDOMAIN": hr.Subdomain, "BAMBOOHR_API_KEY": bamboohrtest.DefaultAPIKey, "BAMBOOHR_BASE_URL": hr.BaseURL(),
		"LITMOS_API_KEY": litmostest.APIKey, "LITMOS_SOURCE": litmostest.Source, "LITMOS_BASE_URL": lms.BaseURL(),
	}
}

func TestQuickstartApply(t *testing.T) {
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "report.csv")
	state := filepath.Join(dir, "state")
	r := runMain(t, nil, "-apply", "-state", state, "-report", reportPath)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{
		"34 employees, 30 with Litmos Access",
		"Plan (BambooHR -> Litmos):",
		"  + create      102  Zoë Ñúñez-O'Brien  zoe.nunez@northwind.example",
		"  x fail        121  Noor Haddad        -                                   missing or invalid required field: workEmail (needed for UserName, Email)",
		"  # skip        132  George Miller      george.miller@northwind.example     inactive or terminated in BambooHR; not created",
		"Plan: 27 to create, 0 to update, 0 to deactivate, 0 to reactivate; 1 failing, 2 skipped, 0 unchanged.",
		"27 created, 0 updated, 0 deactivated, 0 reactivated, 2 skipped, 1 failed.",
		"Report (CSV, one row per employee): " + reportPath,
		"Bo Chen is promoted to Senior Software Engineer -> webhook -> 202 Accepted",
		"  ~ updated     106  Bo Chen  bo.chen@northwind.example  JobTitle",
		"Ed Silva is terminated -> webhook -> 202 Accepted",
		"  - deactivated 125  Ed Silva  ed.silva@northwind.example  inactive or terminated in BambooHR",
		"Kwame Mensah's Litmos Access box is unticked -> webhook -> 202 Accepted",
		"  - deactivated 134  Kwame Mensah  kwame.mensah@northwind.example  no Litmos Access any more",
		"No changes. Litmos matches BambooHR (30 employees checked).\nStill to fix in BambooHR:\n  x fail        121  Noor Haddad",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	checkNoSecrets(t, r.out+r.stderr)

	rows := readCSV(t, reportPath)
	if got := strings.Join(rows[0], ","); got != "employee_id,name,username,litmos_id,action,fields,reason" {
		t.Errorf("CSV header = %s", got)
	}
	actions := map[string]int{}
	byID := map[string][]string{}
	for _, row := range rows[1:] {
		actions[row[4]]++
		byID[row[0]] = row
	}
	if actions["created"] != 27 || actions["failed"] != 1 || actions["skipped"] != 2 || len(rows) != 31 {
		t.Errorf("CSV actions = %v (%d rows)", actions, len(rows)-1)
	}
	if row := byID["102"]; row[1] != "Zoë Ñúñez-O'Brien" || row[2] != "zoe.nunez@northwind.example" || row[3] == "" ||
		!strings.Contains(row[5], "UserName") {
		t.Errorf("CSV row of 102 = %q", row)
	}
	// One wording of a failing record: the row on screen, the CSV.
	if row := byID["121"]; row[4] != "failed" || row[6] != "missing or invalid required field: workEmail (needed for UserName, Email)" {
		t.Errorf("CSV row of 121 = %q", row)
	}

	// A second run on the same state is refused: the fakes start empty and
	// hand out the same learner ids, so the old links would point at other
	// employees' new learners (an -only run would then rename them).
	for _, args := range [][]string{{}, {"-apply"}, {"-apply", "-only", "106"}} {
		r := runMain(t, nil, append(args, "-state", state)...)
		if r.code != 2 || !strings.Contains(r.stderr, "already links 27 employees to learners") || strings.Contains(r.out, "Plan") {
			t.Errorf("run %q on a used state: want exit 2 and a refusal\n%s", args, r)
		}
	}
}

func TestQuickstartDryRun(t *testing.T) {
	r := runMain(t, nil)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"Plan: 27 to create", "Nothing was written. Run again with -apply to apply this plan."} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "Applied") || strings.Contains(r.out, "webhook") || strings.Contains(r.out, "Report") {
		t.Errorf("a dry run applied something or wrote a report:\n%s", r.out)
	}
	// A plan run leaves nothing behind: no state, no report.
	if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
		t.Errorf("a dry run left %v in the temp directory", left)
	}
}

func TestQuickstartOnly(t *testing.T) {
	reportPath := filepath.Join(t.TempDir(), "r.csv")
	r := runMain(t, nil, "-apply", "-only", "101, 106", "-report", reportPath)
	if r.code != 0 {
		t.Fatal(r)
	}
	var got []string
	for _, row := range readCSV(t, reportPath)[1:] {
		got = append(got, row[0]+":"+row[4])
	}
	if strings.Join(got, " ") != "101:created 106:created" {
		t.Errorf("report rows = %v, want 101 and 106 created", got)
	}
	if !strings.Contains(r.out, "Plan: 25 to create") || strings.Contains(r.out, "webhook") {
		t.Errorf("the re-run should plan the 25 employees not imported, without the tour:\n%s", r.out)
	}

	// An id not in the plan (113 has no Litmos Access; 999 does not exist)
	// is a usage error, found before any plan is printed; it leaves no
	// temp state directory.
	for _, args := range [][]string{{"-only", "113,101,999"}, {"-apply", "-only", "113,101,999"}} {
		r := runMain(t, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "-only: employees not in the plan (out of scope, or unknown): 113, 999") ||
			strings.Contains(r.out, "Plan") {
			t.Errorf("%q: want exit 2 and no plan\n%s", args, r)
		}
		if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
			t.Errorf("%q left %v in the temp directory", args, left)
		}
	}
}

// -fake-leavers makes people leave after the tour's webhooks: the re-run's
// plan is held by the threshold (never shown as "No changes"), nothing is
// deactivated, and the run exits 1; -allow-deactivations releases it.
func TestFakeLeaversThreshold(t *testing.T) {
	r := runMain(t, nil, "-apply", "-fake-leavers", "12")
	if r.code != 1 {
		t.Fatalf("want exit 1 for a held re-run\n%s", r)
	}
	rerun := r.out[strings.Index(r.out, "Re-run: plan again."):]
	for _, want := range []string{"BambooHR: 12 employees leave at once (no webhook)",
		"Held: 12 deactivations exceed the threshold; none will be applied. Review them, then add -allow-deactivations."} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
	if n := strings.Count(rerun, "held back by deactivation threshold"); n != 12 || strings.Contains(rerun, "No changes") {
		t.Errorf("re-run: %d held rows, want 12 and no \"No changes\"\n%s", n, rerun)
	}
	if !strings.Contains(r.stderr, "nothing was written: the plan deactivates 12 learners") ||
		!strings.Contains(r.stderr, "-apply -allow-deactivations") {
		t.Errorf("stderr lacks the way forward:\n%s", r.stderr)
	}

	r = runMain(t, nil, "-apply", "-fake-leavers", "12", "-allow-deactivations")
	if r.code != 0 || !strings.Contains(r.out, "Plan: 0 to create, 0 to update, 12 to deactivate") ||
		!strings.Contains(r.out, "0 created, 0 updated, 12 deactivated") {
		t.Errorf("-allow-deactivations: want the 12 deactivated\n%s", r)
	}
}

func TestQuickstartProgress(t *testing.T) {
	r := runMain(t, nil, "-apply", "-employees", "80", "-report", filepath.Join(t.TempDir(), "r.csv"))
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{
		"progress: 8/73 learners written (10%)", "progress: 73/73 learners written (100%)",
		"progress: writing the managers of 72 learners",
		"progress: 8/72 managers written (11%)", "progress: 72/72 managers written (100%)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := strings.Count(r.stderr, "progress:"); n != 21 {
		t.Errorf("%d progress lines, want 21 (every tenth of the learners, the managers' start, every tenth of the managers):\n%s", n, r.stderr)
	}
	if !strings.Contains(r.out, "No changes.") || strings.Contains(r.out, "progress:") {
		t.Errorf("the re-run of a larger company is not clean, or progress went to stdout:\n%s", r.out)
	}
}

func checkNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, k := range []string{bamboohrtest.DefaultAPIKey, litmostest.APIKey, "sekrit"} {
		if strings.Contains(s, k) {
			t.Errorf("output contains a secret (%d characters)", len(k))
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// lineWriter hands the lines written to it to waitFor.
type lineWriter struct {
	mu    sync.Mutex
	lines chan string
	buf   []byte
}

func newLineWriter() *lineWriter { return &lineWriter{lines: make(chan string, 1000)} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.lines <- string(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

// waitFor returns the first line containing want; the test's deadline
// bounds the wait.
func (w *lineWriter) waitFor(t *testing.T, want string) string {
	t.Helper()
	for line := range w.lines {
		if strings.Contains(line, want) {
			return line
		}
	}
	t.Fatalf("output ended without %q", want)
	return ""
}
