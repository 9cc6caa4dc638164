package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
)

func TestUsageErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, accounts := fakeAccounts(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"unknown flag", nil, []string{"-nope"}, []string{"flag provided but not defined: -nope (run hibob-learnamp -h for the flags)"}},
		{"bad -invite", nil, []string{"-invite", "later"}, []string{`invalid value "later" for flag -invite: invite policy "later": want "start-date", "now" or "never"`}},
		{"bad -invite on real accounts", accounts, []string{"-invite", "Now"}, []string{`invite policy "Now"`}},
		{"-employees too small", nil, []string{"-employees", "3"}, []string{"-employees: 3 is out of range [17, 100000]"}},
		{"-fake-leavers too many", nil, []string{"-apply", "-fake-leavers", "13"}, []string{"-fake-leavers: 13 is out of range [0, 12]"}},
		{"-serve without secret", nil, []string{"-serve", "127.0.0.1:0"}, []string{"-serve needs HIBOB_WEBHOOK_SECRET"}},
		{"-serve with -apply", nil, []string{"-serve", "127.0.0.1:0", "-apply"}, []string{"-serve and -apply do not go together"}},
		{"fake-only flag on real accounts", accounts, []string{"-employees", "80"}, []string{"-employees applies to the built-in fakes only"}},
		{"lone optional variable", map[string]string{"LEARNAMP_BASE_URL": "https://api-eu2.learnamp.com"}, nil,
			[]string{"LEARNAMP_BASE_URL set, but no credentials", "or unset LEARNAMP_BASE_URL to run on the built-in fakes"}},
		{"partial credentials", map[string]string{"HIBOB_SERVICE_USER_ID": "SERVICE-1", "LEARNAMP_CLIENT_SECRET": "sekrit-secret"}, nil,
			[]string{"missing environment variables HIBOB_TOKEN, LEARNAMP_CLIENT_ID (HIBOB_SERVICE_USER_ID, LEARNAMP_CLIENT_SECRET set)"}},
		{"HiBob URL without /v1 scheme", withEnv(accounts, map[string]string{"HIBOB_BASE_URL": "api.hibob.com/v1"}), nil,
			[]string{"HiBob settings"}},
		{"Learn Amp URL with /v1", withEnv(accounts, map[string]string{"LEARNAMP_BASE_URL": "https://api.learnamp.com/v1"}), nil,
			[]string{"Learn Amp settings"}},
		{"bad LEARNAMP_SCOPES", withEnv(accounts, map[string]string{"LEARNAMP_SCOPES": "users:read"}), nil,
			[]string{`LEARNAMP_SCOPES: want "sync"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMain(t, tt.env, tt.args...)
			if r.code != 2 {
				t.Errorf("want exit 2\n%s", r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r)
				}
			}
			if n := strings.Count(r.stderr, "hibob-learnamp: "); n != 1 || r.out != "" {
				t.Errorf("want one message on stderr and nothing on stdout, got %d\n%s", n, r)
			}
			checkNoSecrets(t, r.out+r.stderr)
			if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
				t.Errorf("a usage error left %v in the temp directory", left)
			}
		})
	}
}

// The usage text names every flag in its usage line, -invite among them,
// and the variables.
func TestUsageText(t *testing.T) {
	r := runMain(t, nil, "-h")
	if r.code != 0 || r.out != "" {
		t.Fatalf("-h: want exit 0 and the usage on stderr\n%s", r)
	}
	line, _, _ := strings.Cut(r.stderr, "\n")
	for _, f := range flagNames(t) {
		if !strings.Contains(line, "[-"+f+"]") && !strings.Contains(line, "[-"+f+" ") {
			t.Errorf("the usage line lacks -%s: %s", f, line)
		}
	}
	for _, want := range []string{"[-invite POLICY]", "start-date (the default", "HIBOB_WEBHOOK_SECRET", "LEARNAMP_CLIENT_SECRET",
		"Learn Amp can invite only as it creates a user"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("usage lacks %q:\n%s", want, r.stderr)
		}
	}
}

func flagNames(t *testing.T) []string {
	t.Helper()
	names := runner.FlagNames(program())
	if len(names) < 16 {
		t.Fatalf("only %d flags: %v", len(names), names)
	}
	return names
}
