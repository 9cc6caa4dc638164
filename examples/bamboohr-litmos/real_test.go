package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// The credentials point at fakes: the program takes the real-account path
// and writes nothing without -apply.
func TestRealAccountsMode(t *testing.T) {
	hr, lms, env := fakeAccounts(t)
	env["BAMBOOHR_ACCESS_FIELD"] = "Litmos Access"
	r := runMain(t, env, "-state", t.TempDir())
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"BambooHR (acme) -> Litmos. State: ", "+ create", "ana@acme.example", "Plan: 1 to create", "Nothing was written"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	// BambooHR's custom report is a POST that reads.
	hrWrites := hr.Log().Count(func(e bamboohrtest.Entry) bool {
		return bamboohrtest.IsWrite(e) && !strings.HasSuffix(e.Path, "/reports/custom")
	})
	if n := lms.Log().Count(litmostest.IsWrite) + hrWrites; n != 0 {
		t.Errorf("%d write calls without -apply", n)
	}
	checkNoSecrets(t, r.out+r.stderr)

	// With real accounts a -state keeps its links: an apply, then a plan
	// that finds nothing to do.
	state := t.TempDir()
	if r := runMain(t, env, "-state", state, "-apply"); r.code != 0 || !strings.Contains(r.out, "1 created") ||
		strings.Contains(r.out, "webhook") {
		t.Fatalf("apply on real accounts (no tour):\n%s", r)
	}
	if r := runMain(t, env, "-state", state); r.code != 0 || !strings.Contains(r.out, "No changes. Litmos matches BambooHR (1 employee checked).") {
		t.Errorf("re-plan:\n%s", r)
	}
}

// A write that fails makes the run exit 1, with the failure's one wording
// on screen and in the report.
func TestWriteFailureExits1(t *testing.T) {
	_, lms, env := fakeAccounts(t)
	lms.AddFault(litmostest.Fault{Method: http.MethodPost, Status: http.StatusBadRequest})
	report := filepath.Join(t.TempDir(), "r.csv")
	r := runMain(t, env, "-state", t.TempDir(), "-apply", "-report", report)
	if r.code != 1 || !strings.Contains(r.stderr, "1 of the plan's writes failed or were refused") {
		t.Fatalf("want exit 1 and the count\n%s", r)
	}
	rows := readCSV(t, report)
	if len(rows) != 2 || rows[1][4] != "failed" || !strings.Contains(r.out, "  x failed") || !strings.Contains(r.out, rows[1][6]) {
		t.Errorf("report %q, output:\n%s", rows, r.out)
	}
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
			env := map[string]string{
				"BAMBOOHR_SUBDOMAIN": hr.Subdomain, "BAMBOOHR_BASE_URL": hr.BaseURL(),
				"BAMBOOHR_USER": user, "BAMBOOHR_PASSWORD": tt.password, "BAMBOOHR_APPLICATION_KEY": appKey,
				"LITMOS_API_KEY": litmostest.APIKey, "LITMOS_SOURCE": litmostest.Source, "LITMOS_BASE_URL": lms.BaseURL(),
			}
			state := t.TempDir()
			r := runMain(t, env, append([]string{"-state", state}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("want exit %d\n%s", tt.code, r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.out+r.stderr, w) {
					t.Errorf("output lacks %q\n%s", w, r)
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
				if strings.Contains(r.out+r.stderr, sec) {
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

// -serve writes without -apply: a signed delivery is answered 202, queued,
// and synced; the receiver logs one line per delivery; Ctrl-C stops it.
func TestServe(t *testing.T) {
	const key = "0123456789abcdef0123456789abcdef"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errs := newLineWriter(), newLineWriter()
	done := make(chan int, 1)
	env := map[string]string{"BAMBOOHR_WEBHOOK_KEY": key, "TMPDIR": t.TempDir()}
	go func() {
		done <- runner.Run(ctx, program(), []string{"-serve", "127.0.0.1:0"}, func(k string) string { return env[k] }, out, errs)
	}()
	listening := regexp.MustCompile(`on (http://\S+/webhooks/bamboohr)`)
	url := listening.FindStringSubmatch(out.waitFor(t, "Listening for BambooHR webhooks"))[1]
	out.waitFor(t, "-serve writes without -apply.")

	body := []byte(`{"type":"employee.updated","timestamp":"2026-11-30T09:00:00Z","data":{"companyId":"acme","employeeId":"106","changedFields":["jobTitle"]}}`)
	post := func(sig string) int {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(bamboohr.TimestampHeader, ts)
		if sig == "" {
			sig = bamboohr.Sign(key, body, ts)
		}
		req.Header.Set(bamboohr.SignatureHeader, sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := post("00"); st != http.StatusUnauthorized {
		t.Errorf("a forged delivery answered %d, want 401", st)
	}
	if line := errs.waitFor(t, "bamboohr webhook"); !strings.Contains(line, "outcome=rejected") || strings.Contains(line, key) {
		t.Errorf("rejection log line = %q", line)
	}
	if st := post(""); st != http.StatusAccepted {
		t.Errorf("webhook answered %d, want 202", st)
	}
	if line := errs.waitFor(t, "bamboohr webhook"); !strings.Contains(line, "outcome=accepted") || !strings.Contains(line, "employees=106") {
		t.Errorf("delivery log line = %q", line)
	}
	// Bo's learner is created with his manager's and hers (a full run
	// would create them too, and Bo's create carries his manager).
	if line := out.waitFor(t, "webhook run:"); !strings.Contains(line, "3 created") {
		t.Errorf("webhook run line = %q, want 3 created (Bo and the managers above him)", line)
	}
	var rows []string
	for range 3 {
		rows = append(rows, out.waitFor(t, "+ created"))
	}
	if !strings.Contains(strings.Join(rows, "\n"), "bo.chen@northwind.example") {
		t.Errorf("rows = %q, want Bo created", rows)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after cancel", code)
	}
}
