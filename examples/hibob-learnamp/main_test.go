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
	"time"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
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

// fakeAccounts is a real-accounts environment pointed at two fakes: HiBob
// holds Ana Lima (started) and Ben Ode (starts in ten days).
func fakeAccounts(t *testing.T) (*hibobtest.Server, *learnamptest.Server, map[string]string) {
	hr := hibobtest.NewServer(t)
	lms := learnamptest.NewServer(t)
	boss := hr.AddEmployee(hibobtest.Employee{FirstName: "Ana", Surname: "Lima", Email: "ana@acme.example",
		Title: "Buyer", Department: "Procurement"})
	hr.AddEmployee(hibobtest.Employee{FirstName: "Ben", Surname: "Ode", Email: "ben@acme.example", Title: "Buyer",
		Department: "Procurement", ManagerID: boss, StartDate: time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)})
	return hr, lms, map[string]string{
		"HIBOB_SERVICE_USER_ID": hibobtest.ServiceUserID, "HIBOB_TOKEN": hibobtest.ServiceUserToken, "HIBOB_BASE_URL": hr.BaseURL(),
		"LEARNAMP_CLIENT_ID": learnamptest.ClientID, "LEARNAMP_CLIENT_SECRET": learnamptest.ClientSecret,
		"LEARNAMP_BASE_URL": lms.BaseURL(),
	}
}

// dayFromNow is today plus n days, as the plan writes dates.
func dayFromNow(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format(time.DateOnly) }

func TestQuickstartApply(t *testing.T) {
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "report.csv")
	leaves, starts := dayFromNow(22), dayFromNow(14) // the fake company's dates are relative to today
	r := runMain(t, nil, "-apply", "-state", filepath.Join(dir, "state"), "-report", reportPath)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{
		"seeded with Fjord Analytics (17 employees: a leaver, a future leaver and a future starter among them).",
		"-invite start-date: people who have started are invited as created",
		"Plan (HiBob -> Learn Amp):",
		"  + create      3             Platform",
		"  + create      3332883884017713202  Tomás Ferreira    tomas.ferreira@fjord.example",
		"  ~ update      3332883884017713212  Chloé Martin      chloe.martin@fjord.example    department, email, firstName, hireDate, integrationExternalId",
		"  # skip        3332883884017713215  George Miller     george.miller@fjord.example   left HiBob (terminated or inactive); not created",
		"  + create      3332883884017713216  Laura Rossi       laura.rossi@fjord.example     deactivates on ",
		"  # skip        3332883884017713217  Kwame Mensah      kwame.mensah@fjord.example    starts later; is created on ",
		"Plan: 21 to create, 1 to update, 0 to deactivate, 0 to reactivate; 0 failing, 2 skipped, 0 unchanged.",
		"HiBob: Lukas Weber is promoted to Senior Software Engineer (a work entry) -> webhook -> 200 OK",
		"  ~ updated     3332883884017713208  Lukas Weber  lukas.weber@fjord.example  jobTitle",
		"HiBob: Daniel Kim's last day was yesterday -> webhook -> 200 OK",
		"  - deactivated 3332883884017713211  Daniel Kim  daniel.kim@fjord.example  left HiBob (terminated or inactive)",
		"HiBob: Nadia Petrova joins Data today -> webhook -> 200 OK",
		"  + created     3332883884017713218  Nadia Petrova  nadia.petrova@fjord.example",
		"No changes. Learn Amp matches HiBob",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	// The future leaver is deactivated the day after her last day (in 21
	// days), the future starter created on his first (in 14); a run across
	// midnight UTC may see the next day.
	for _, want := range [][2]string{{"deactivates on " + leaves, "deactivates on " + dayFromNow(22)},
		{"is created on " + starts, "is created on " + dayFromNow(14)}} {
		if !strings.Contains(r.out, want[0]) && !strings.Contains(r.out, want[1]) {
			t.Errorf("output lacks %q\n%s", want[0], r.out)
		}
	}
	checkNoSecrets(t, r.out+r.stderr)
	rows := readCSV(t, reportPath)
	if got := strings.Join(rows[0], ","); got != "collection,hibob_id,name,email,learnamp_id,action,fields,reason" {
		t.Errorf("CSV header = %s", got)
	}
	actions := map[string]int{}
	for _, row := range rows[1:] {
		actions[row[0]+" "+row[5]]++
	}
	want := map[string]int{"teams created": 7, "users created": 14, "users updated": 1, "users skipped": 2}
	if !maps.Equal(actions, want) {
		t.Errorf("CSV actions = %v, want %v", actions, want)
	}
}

func TestQuickstartDryRun(t *testing.T) {
	r := runMain(t, nil)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"Plan: 21 to create", "Nothing was written. Run again with -apply to apply this plan."} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "Applied") || strings.Contains(r.out, "webhook") {
		t.Errorf("a dry run applied something:\n%s", r.out)
	}
	if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
		t.Errorf("a dry run left %v in the temp directory", left)
	}
}

// -invite, on the fakes: now creates the future starter at once; never
// says so; both are shown in the run's first lines.
func TestInviteFlagOnFakes(t *testing.T) {
	r := runMain(t, nil, "-invite", "now")
	if r.code != 0 || !strings.Contains(r.out, "-invite now: everyone is invited as created") ||
		!strings.Contains(r.out, "  + create      3332883884017713217  Kwame Mensah") || !strings.Contains(r.out, "Plan: 22 to create") {
		t.Errorf("-invite now:\n%s", r)
	}
	r = runMain(t, nil, "-invite=never", "-apply", "-json")
	if r.code != 0 || !strings.Contains(r.stderr, "-invite never: users are created without an invitation") {
		t.Errorf("-invite never:\n%s", r)
	}
}

// -fake-leavers: more than 10 people leave at once, the re-run is held.
func TestFakeLeaversThreshold(t *testing.T) {
	r := runMain(t, nil, "-apply", "-fake-leavers", "11")
	if r.code != 1 || !strings.Contains(r.out, "HiBob: 11 employees leave at once (no webhook)") ||
		strings.Count(r.out, "held back by deactivation threshold") != 11 {
		t.Errorf("want exit 1 and 11 held\n%s", r)
	}
	if r := runMain(t, nil, "-apply", "-fake-leavers", "11", "-allow-deactivations"); r.code != 0 ||
		!strings.Contains(r.out, "0 created, 0 updated, 11 deactivated") {
		t.Errorf("-allow-deactivations:\n%s", r)
	}
}

func checkNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, k := range []string{hibobtest.ServiceUserToken, learnamptest.ClientSecret, "sekrit"} {
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
