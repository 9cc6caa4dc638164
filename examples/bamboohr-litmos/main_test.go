package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

func noEnv(string) string { return "" }

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// realEnv is the real-account environment without BambooHR's key or login.
var realEnv = map[string]string{"BAMBOOHR_SUBDOMAIN": "acme", "LITMOS_API_KEY": "sekrit-litmos-key", "LITMOS_SOURCE": "test"}

// withEnv returns base with extra added, as a new map.
func withEnv(base, extra map[string]string) map[string]string {
	m := maps.Clone(base)
	maps.Copy(m, extra)
	return m
}

// runMain runs the program and returns its exit code, stdout and stderr.
// What the program keeps in the temporary directory for its user (the
// state and report of an -apply run on the fakes) goes to the test's own.
func runMain(t *testing.T, env func(string) string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	return runHere(env, args...)
}

// runHere runs the program with the temporary directory as it is.
func runHere(env func(string) string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env, &out, &errb)
	return code, out.String(), errb.String()
}

func TestQuickstartApply(t *testing.T) {
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "report.csv")
	code, out, stderr := runMain(t, noEnv, "-apply", "-state", filepath.Join(dir, "state"), "-report", reportPath)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if n := strings.Count(out, "\n"); n > 120 {
		t.Errorf("output is %d lines, want at most 120", n)
	}
	for _, want := range []string{
		"34 employees, 30 with Litmos Access",
		"Plan (BambooHR -> Litmos):",
		"  + create        102  Zoë Ñúñez-O'Brien    zoe.nunez@northwind.example",
		"  x fail          121  Noor Haddad          -",
		"missing or invalid required field: workEmail",
		"inactive or terminated in BambooHR; no learner to create",
		"Plan: 27 to create, 0 to update, 0 to deactivate, 0 to reactivate; 1 failing, 2 skipped, 0 unchanged.",
		"Applied in ",
		"27 created, 0 updated, 0 deactivated, 0 reactivated, 2 skipped, 1 failed.",
		"Import report (CSV, one row per employee): " + reportPath,
		"Bo Chen is promoted to Senior Software Engineer -> webhook -> 200 OK",
		"  ~ updated       106  Bo Chen              bo.chen@northwind.example          JobTitle",
		"Ed Silva is terminated -> webhook -> 200 OK",
		"  - deactivated   125  Ed Silva",
		"Kwame Mensah's Litmos Access box is unticked -> webhook -> 200 OK",
		"  - deactivated   134  Kwame Mensah         kwame.mensah@northwind.example     no Litmos Access any more",
		"No changes. Litmos matches BambooHR (30 employees checked).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	checkNoSecrets(t, out+stderr)

	rows := readCSV(t, reportPath)
	if got := strings.Join(rows[0], ","); got != "employee_id,name,username,litmos_id,action,fields,reason" {
		t.Errorf("CSV header = %s", got)
	}
	actions := map[string]int{}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		actions[r[4]]++
		byID[r[0]] = r
	}
	if actions["created"] != 27 || actions["failed"] != 1 || actions["skipped"] != 2 || len(rows) != 31 {
		t.Errorf("CSV actions = %v (%d rows)", actions, len(rows)-1)
	}
	if r := byID["102"]; r[1] != "Zoë Ñúñez-O'Brien" || r[2] != "zoe.nunez@northwind.example" || r[3] == "" ||
		!strings.Contains(r[5], "UserName") {
		t.Errorf("CSV row of 102 = %q", r)
	}
	if r := byID["121"]; r[4] != "failed" || !strings.Contains(r[6], "workEmail") {
		t.Errorf("CSV row of 121 = %q", r)
	}

	// A second run on the same state is refused: the fakes start empty and
	// hand out the same learner ids, so the old links would point at other
	// employees' new learners (an -only run would then rename them).
	for _, args := range [][]string{{}, {"-apply"}, {"-apply", "-only", "106"}} {
		args = append(args, "-state", filepath.Join(dir, "state"))
		code, out, stderr = runMain(t, noEnv, args...)
		if code != 2 || !strings.Contains(stderr, "already links 27 employees") || strings.Contains(out, "Plan") {
			t.Errorf("run %q on a used state: exit %d, want 2 and a refusal\n%s\n%s", args, code, out, stderr)
		}
	}
}

// A plan held by the deactivation threshold is shown as such (never as
// "No changes"), is refused by -apply with a way forward, and goes through
// with -allow-deactivations.
func TestHeldPlan(t *testing.T) {
	ctx := context.Background()
	hr := bamboohrtest.NewServer(t)
	lms := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	var ids []int
	for i := 0; i < 12; i++ {
		ids = append(ids, hr.AddEmployee(map[string]string{"firstName": "Emp", "lastName": strconv.Itoa(i),
			"workEmail": fmt.Sprintf("emp%d@acme.example", i), bamboohrtest.LitmosAccessAlias: "yes"}))
	}
	job, err := bamboohrlitmos.New(bamboohrlitmos.Config{BambooHR: hr.NewClient(t), Litmos: lms.NewClient(t), StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer job.Close()
	if _, err := job.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		hr.Terminate(id, "2026-11-01")
	}
	lms.Log().Reset()
	run := func(args ...string) (string, error) {
		t.Helper()
		opts, err := parseFlags(append(args, "-report", filepath.Join(t.TempDir(), "r.csv")), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		_, err = planApply(ctx, job, opts, &progress{w: io.Discard}, &out, "")
		return out.String(), err
	}

	out, err := run()
	if err != nil || strings.Contains(out, "No changes") || !strings.Contains(out, "Held: 12 deactivations exceed the threshold") ||
		strings.Count(out, "held back by deactivation threshold") != 12 {
		t.Errorf("plan: %v\n%s", err, out)
	}
	out, err = run("-apply")
	if err == nil || !strings.Contains(err.Error(), "-allow-deactivations") || strings.Contains(out, "Applied") {
		t.Errorf("-apply of a held plan: err %v\n%s", err, out)
	}
	if n := lms.Log().Count(litmostest.IsWrite); n != 0 {
		t.Errorf("-apply of a held plan made %d writes", n)
	}
	out, err = run("-apply", "-allow-deactivations")
	if err != nil || !strings.Contains(out, "12 deactivated") {
		t.Errorf("-apply -allow-deactivations: %v\n%s", err, out)
	}
	for _, u := range lms.Users() {
		if u.Active {
			t.Errorf("learner %s still active", u.UserName)
		}
	}
}

// Default report paths are new files, never one reused or planted.
func TestReportFilesAreNew(t *testing.T) {
	dir := t.TempDir()
	rep := &bamboohrlitmos.Report{Rows: []bamboohrlitmos.Row{{EmployeeID: "1", Action: bamboohrlitmos.Created}}}
	a, err := writeReport(rep, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := writeReport(rep, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two reports share the path %s", a)
	}
	for _, p := range []string{a, b} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("report %s: %v %v, want mode 0600", p, fi, err)
		}
	}
}

// A plan-only run on the fakes leaves nothing in the temp directory.
func TestDryRunLeavesNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if code, out, stderr := runHere(noEnv); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("a dry run left %d entries in the temp directory: %v", len(left), left)
	}
}

func TestQuickstartProgress(t *testing.T) {
	code, out, stderr := runMain(t, noEnv, "-apply", "-employees", "80", "-report", filepath.Join(t.TempDir(), "r.csv"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		"progress: 8/73 learners written (10%)", "progress: 73/73 learners written (100%)",
		"progress: writing the managers of 72 learners",
		"progress: 8/72 managers written (11%)", "progress: 72/72 managers written (100%)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, "progress:"); n != 21 {
		t.Errorf("%d progress lines, want 21 (every tenth of the learners, the managers' start, every tenth of the managers):\n%s", n, stderr)
	}
	if !strings.Contains(out, "No changes.") {
		t.Errorf("the re-run of a larger company is not clean:\n%s", out)
	}
}

func TestQuickstartDryRun(t *testing.T) {
	code, out, stderr := runMain(t, noEnv)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"Plan: 27 to create", "Nothing was written. Run again with -apply to apply this plan."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "Applied") || strings.Contains(out, "webhook") {
		t.Errorf("a dry run applied something:\n%s", out)
	}
}

func TestQuickstartOnly(t *testing.T) {
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "r.csv")
	code, out, stderr := runMain(t, noEnv, "-apply", "-only", "101, 106", "-report", reportPath)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	rows := readCSV(t, reportPath)
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0]+":"+r[4])
	}
	if strings.Join(got, " ") != "101:created 106:created" {
		t.Errorf("report rows = %v, want 101 and 106 created", got)
	}
	if !strings.Contains(out, "Plan: 25 to create") {
		t.Errorf("the re-run should plan the 25 employees not imported:\n%s", out)
	}

	// An id not in the plan (113 has no Litmos Access; 999 does not exist)
	// is a usage error, found before any plan is printed.
	for _, args := range [][]string{{"-only", "113,101,999"}, {"-apply", "-only", "113,101,999"}} {
		code, out, stderr = runMain(t, noEnv, args...)
		if code != 2 || !strings.Contains(stderr, "-only: employee ids not in the plan (no Litmos Access, or unknown): 113, 999") ||
			strings.Contains(out, "Plan") {
			t.Errorf("%q: exit %d, want 2 and no plan\nstdout:\n%s\nstderr:\n%s", args, code, out, stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"unknown flag", nil, []string{"-nope"}, []string{"-nope"}},
		{"argument", nil, []string{"now"}, []string{`unexpected argument "now"`}},
		{"empty -only", nil, []string{"-only", ","}, []string{"-only"}},
		{"partial credentials", map[string]string{"BAMBOOHR_SUBDOMAIN": "acme", "LITMOS_API_KEY": "sekrit-litmos-key"}, nil,
			[]string{"missing environment variables LITMOS_SOURCE, BAMBOOHR_API_KEY (BAMBOOHR_SUBDOMAIN, LITMOS_API_KEY set)",
				"either BAMBOOHR_API_KEY or all of BAMBOOHR_USER, BAMBOOHR_PASSWORD, BAMBOOHR_APPLICATION_KEY"}},
		{"login user without password", withEnv(realEnv, map[string]string{"BAMBOOHR_USER": "admin@acme.example",
			"BAMBOOHR_APPLICATION_KEY": "sekrit-app-key"}), nil,
			[]string{"missing environment variables BAMBOOHR_PASSWORD (BAMBOOHR_SUBDOMAIN, LITMOS_API_KEY, LITMOS_SOURCE, " +
				"BAMBOOHR_USER, BAMBOOHR_APPLICATION_KEY set)"}},
		{"login without application key", withEnv(realEnv, map[string]string{"BAMBOOHR_USER": "admin@acme.example",
			"BAMBOOHR_PASSWORD": "sekrit-password"}), nil,
			[]string{"missing environment variables BAMBOOHR_APPLICATION_KEY ("}},
		{"password alone", map[string]string{"BAMBOOHR_PASSWORD": "sekrit-password"}, nil,
			[]string{"missing environment variables BAMBOOHR_SUBDOMAIN, LITMOS_API_KEY, LITMOS_SOURCE, BAMBOOHR_USER, " +
				"BAMBOOHR_APPLICATION_KEY (BAMBOOHR_PASSWORD set)"}},
		{"key and login", withEnv(realEnv, map[string]string{"BAMBOOHR_API_KEY": "sekrit-key", "BAMBOOHR_PASSWORD": "sekrit-password"}), nil,
			[]string{"both BAMBOOHR_API_KEY and BAMBOOHR_PASSWORD are set"}},
		{"login with a bad subdomain", withEnv(realEnv, map[string]string{"BAMBOOHR_SUBDOMAIN": "acme.bamboohr.com",
			"BAMBOOHR_USER": "admin", "BAMBOOHR_PASSWORD": "sekrit-password", "BAMBOOHR_APPLICATION_KEY": "sekrit-app-key"}), nil,
			[]string{"BambooHR settings", "is not a BambooHR company domain"}},
		{"-serve without key", nil, []string{"-serve", "127.0.0.1:0"}, []string{"BAMBOOHR_WEBHOOK_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runMain(t, envOf(tt.env), tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2\n%s\n%s", code, out, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q: %s", w, stderr)
				}
			}
			if strings.Contains(out+stderr, "sekrit") {
				t.Errorf("a credential was printed: %s %s", out, stderr)
			}
		})
	}
}

// TestRealAccountsMode points the credentials at fakes: the program takes
// the real-account path and writes nothing without -apply.
func TestRealAccountsMode(t *testing.T) {
	hr := bamboohrtest.NewServer(t)
	lms := litmostest.NewServer(t)
	hr.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@acme.example",
		bamboohrtest.LitmosAccessAlias: "yes"})
	env := envOf(map[string]string{
		"BAMBOOHR_SUBDOMAIN": hr.Subdomain, "BAMBOOHR_API_KEY": bamboohrtest.DefaultAPIKey, "BAMBOOHR_BASE_URL": hr.BaseURL(),
		"LITMOS_API_KEY": litmostest.APIKey, "LITMOS_SOURCE": litmostest.Source, "LITMOS_BASE_URL": lms.BaseURL(),
		"BAMBOOHR_ACCESS_FIELD": "Litmos Access",
	})
	code, out, stderr := runMain(t, env, "-state", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"BambooHR (acme) -> Litmos.", "+ create", "ana@acme.example", "Plan: 1 to create", "Nothing was written"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	// BambooHR's custom report is a POST that reads (bamboohr.md §3.5).
	hrWrites := hr.Log().Count(func(e bamboohrtest.Entry) bool {
		return bamboohrtest.IsWrite(e) && !strings.HasSuffix(e.Path, "/reports/custom")
	})
	if n := lms.Log().Count(litmostest.IsWrite) + hrWrites; n != 0 {
		t.Errorf("%d write calls without -apply", n)
	}
	checkNoSecrets(t, out+stderr)
}

// TestRealAccountsLogin logs in to a fake BambooHR with a user, password
// and application key instead of a pasted key: one login, its key used for
// every read, and none of the secrets printed or written to the state.
func TestRealAccountsLogin(t *testing.T) {
	const (
		user     = "admin@acme.example"
		password = "correct horse battery staple"
		appKey   = "partner-application-key-0001"
	)
	tests := []struct {
		name     string
		login    bamboohrtest.Login
		password string
		args     []string
		code     int
		logins   int
		want     []string // in stdout+stderr
	}{
		{"ok", bamboohrtest.Login{User: user, Password: password, ApplicationKey: appKey}, password, nil, 0, 1,
			[]string{"BambooHR: logged in; the API key it issued is kept in memory only", "Plan: 1 to create", "Nothing was written"}},
		{"sso company", bamboohrtest.Login{User: user, Password: password, ApplicationKey: appKey, SSOOnly: true}, password, nil, 1, 1,
			[]string{"BambooHR login: create an API key in BambooHR", "set BAMBOOHR_API_KEY instead",
				"password login is disabled for this company (single sign-on)"}},
		{"wrong password", bamboohrtest.Login{User: user, Password: password, ApplicationKey: appKey}, "wrong " + password, nil, 1, 1,
			[]string{"BambooHR login: check BAMBOOHR_USER, BAMBOOHR_PASSWORD, BAMBOOHR_APPLICATION_KEY", "login refused"}},
		{"wrong application key", bamboohrtest.Login{User: user, Password: password, ApplicationKey: appKey + "x"}, password, nil, 1, 1,
			[]string{"login refused"}},
		{"-serve without webhook key", bamboohrtest.Login{User: user, Password: password, ApplicationKey: appKey}, password,
			[]string{"-serve", "127.0.0.1:0"}, 2, 0, []string{"-serve needs BAMBOOHR_WEBHOOK_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hr := bamboohrtest.NewServer(t)
			lms := litmostest.NewServer(t)
			hr.SetLogin(tt.login)
			hr.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Lima", "workEmail": "ana@acme.example",
				bamboohrtest.LitmosAccessAlias: "yes"})
			env := envOf(map[string]string{
				"BAMBOOHR_SUBDOMAIN": hr.Subdomain, "BAMBOOHR_BASE_URL": hr.BaseURL(),
				"BAMBOOHR_USER": user, "BAMBOOHR_PASSWORD": tt.password, "BAMBOOHR_APPLICATION_KEY": appKey,
				"LITMOS_API_KEY": litmostest.APIKey, "LITMOS_SOURCE": litmostest.Source, "LITMOS_BASE_URL": lms.BaseURL(),
			})
			state := t.TempDir()
			code, out, stderr := runMain(t, env, append([]string{"-state", state}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+stderr, w) {
					t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", w, out, stderr)
				}
			}
			var logins int
			keys := map[string]bool{}
			for _, e := range hr.Log().Entries() {
				if strings.HasSuffix(e.Path, "/v1/login") {
					logins++
					continue
				}
				if k, _, ok := (&http.Request{Header: e.Header}).BasicAuth(); ok {
					keys[k] = true
				}
			}
			if logins != tt.logins {
				t.Errorf("%d login calls, want %d", logins, tt.logins)
			}
			if tt.code == 0 && (len(keys) != 1 || keys[bamboohrtest.DefaultAPIKey]) {
				t.Errorf("BambooHR reads used keys %v, want the one key the login minted", keys)
			}
			secrets := []string{tt.password, appKey, bamboohrtest.DefaultAPIKey, litmostest.APIKey}
			for k := range keys {
				secrets = append(secrets, k)
			}
			written := readTree(t, state)
			for _, sec := range secrets {
				if strings.Contains(out+stderr, sec) {
					t.Errorf("output contains a secret (%d characters)", len(sec))
				}
				if strings.Contains(written, sec) {
					t.Errorf("the state directory holds a secret (%d characters)", len(sec))
				}
			}
		})
	}
}

// readTree returns the contents of every file under dir, concatenated.
func readTree(t *testing.T, dir string) string {
	t.Helper()
	var all strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all.String()
}

func TestServe(t *testing.T) {
	const key = "0123456789abcdef0123456789abcdef"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := newLineWriter()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-serve", "127.0.0.1:0"}, envOf(map[string]string{"BAMBOOHR_WEBHOOK_KEY": key}), out, out)
	}()
	listening := regexp.MustCompile(`on (http://\S+/webhooks/bamboohr)`)
	url := listening.FindStringSubmatch(out.waitFor(t, "Listening for BambooHR webhooks"))[1]

	body := []byte(`{"type":"employee.updated","timestamp":"2026-11-30T09:00:00Z","data":{"companyId":"acme","employeeId":"106","changedFields":["jobTitle"]}}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(bamboohr.TimestampHeader, ts)
	req.Header.Set(bamboohr.SignatureHeader, bamboohr.Sign(key, body, ts))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("webhook answered %d", resp.StatusCode)
	}
	line := out.waitFor(t, "webhook run:")
	if !strings.Contains(line, "1 created") {
		t.Errorf("webhook run line = %q, want 1 created", line)
	}
	out.waitFor(t, "+ created") // the row for Bo Chen
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after cancel", code)
	}
}

func checkNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, k := range []string{bamboohrtest.DefaultAPIKey, litmostest.APIKey} {
		if strings.Contains(s, k) {
			t.Errorf("output contains an API key")
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
	sc := bufio.NewScanner(bytes.NewReader(w.buf))
	n := 0
	for sc.Scan() {
		if n+len(sc.Bytes()) >= len(w.buf) {
			break // no newline yet
		}
		w.lines <- sc.Text()
		n += len(sc.Bytes()) + 1
	}
	w.buf = w.buf[n:]
	return len(p), nil
}

// waitFor returns the first line containing want; the test's deadline
// bounds the wait.
func (w *lineWriter) waitFor(t *testing.T, want string) string {
	t.Helper()
	var seen []string
	for line := range w.lines {
		if strings.Contains(line, want) {
			return line
		}
		seen = append(seen, line)
	}
	t.Fatalf("output ended without %q: %s", want, fmt.Sprint(seen))
	return ""
}
