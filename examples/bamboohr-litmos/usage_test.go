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
		{"unknown flag", nil, []string{"-nope"}, []string{"flag provided but not defined: -nope (run bamboohr-litmos -h for the flags)"}},
		{"argument", nil, []string{"now"}, []string{`unexpected argument "now"`}},
		{"empty -only", nil, []string{"-only", ","}, []string{`invalid value "," for flag -only: no ids`}},
		{"-state is a file", nil, []string{"-state", file}, []string{"-state " + file + " is a file"}},
		{"-report is a directory", nil, []string{"-apply", "-report", t.TempDir()}, []string{"is a directory: give a file path"}},
		{"-report in a missing directory", nil, []string{"-report", filepath.Join(file+"x", "r.csv")}, []string{"does not exist"}},
		{"-employees too small", nil, []string{"-employees", "3"}, []string{"-employees: 3 is out of range [34, 100000]"}},
		{"-fake-leavers without -apply", nil, []string{"-fake-leavers", "3"}, []string{"-fake-leavers: people leave during the tour"}},
		{"-fake-leavers with -only", nil, []string{"-apply", "-only", "101", "-fake-leavers", "3"}, []string{"-fake-leavers"}},
		{"-fake-leavers too many", nil, []string{"-apply", "-fake-leavers", "25"}, []string{"-fake-leavers: 25 is out of range [0, 24]"}},
		{"-serve with -apply", nil, []string{"-serve", "127.0.0.1:0", "-apply"}, []string{"-serve and -apply do not go together"}},
		{"-serve with -only", nil, []string{"-serve", "127.0.0.1:0", "-only", "101"}, []string{"-serve and -only do not go together"}},
		{"-serve with -report", nil, []string{"-serve", "127.0.0.1:0", "-report", file}, []string{"-serve and -report"}},
		{"-detailed-exitcode with -apply", nil, []string{"-apply", "-detailed-exitcode"}, []string{"is for plan runs"}},
		{"-plan-out with -apply", nil, []string{"-apply", "-plan-out", file}, []string{"-plan-out and -apply"}},
		{"-json and -report -", nil, []string{"-json", "-report", "-"}, []string{"both want stdout"}},
		{"-serve without key", nil, []string{"-serve", "127.0.0.1:0"}, []string{"-serve needs BAMBOOHR_WEBHOOK_KEY"}},
		{"fake-only flag on real accounts", accounts, []string{"-employees", "80"}, []string{"-employees applies to the built-in fakes only"}},
		{"-fake-leavers on real accounts", accounts, []string{"-apply", "-fake-leavers", "2"}, []string{"-fake-leavers applies to the built-in fakes only"}},
		{"lone optional variable", map[string]string{"LITMOS_BASE_URL": "https://api.litmoseu.com/v1.svc"}, nil,
			[]string{"LITMOS_BASE_URL set, but no credentials", "or unset LITMOS_BASE_URL to run on the built-in fakes"}},
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
			// One message, printed once, and nothing on stdout.
			if n := strings.Count(r.stderr, "bamboohr-litmos: "); n != 1 || r.out != "" {
				t.Errorf("want one message on stderr and nothing on stdout, got %d\n%s", n, r)
			}
			checkNoSecrets(t, r.out+r.stderr)
			if left, _ := os.ReadDir(r.tmp); len(left) != 0 {
				t.Errorf("a usage error left %v in the temp directory", left)
			}
		})
	}
}

// The usage text names every flag in its usage line, says which modes
// write, and lists the variables and exit codes; -h exits 0.
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
	for _, want := range []string{
		"a plan run (the default) writes nothing to either system; -apply writes the\nplan to Litmos; -serve writes",
		"-fake-leavers N", "deactivation threshold", "BAMBOOHR_WEBHOOK_KEY", "LITMOS_SOURCE",
		"3 changes pending (plan run\nwith -detailed-exitcode)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("usage lacks %q:\n%s", want, r.stderr)
		}
	}
}

// A note, not an error: the webhook key set without -serve does nothing.
func TestWebhookKeyWithoutServe(t *testing.T) {
	r := runMain(t, map[string]string{"BAMBOOHR_WEBHOOK_KEY": "k"})
	if r.code != 0 || !strings.Contains(r.stderr, "note: BAMBOOHR_WEBHOOK_KEY is set, but only -serve uses it") {
		t.Errorf("want exit 0 and a note\n%s", r)
	}
}

func flagNames(t *testing.T) []string {
	t.Helper()
	names := runner.FlagNames(program())
	if len(names) < 15 {
		t.Fatalf("only %d flags: %v", len(names), names)
	}
	return names
}
