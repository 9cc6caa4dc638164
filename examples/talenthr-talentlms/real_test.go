package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// fakeAccounts is a real-accounts environment pointed at fakes seeded
// with Northwind.
func fakeAccounts(t *testing.T) (*talenthrtest.Server, *talentlmstest.Server, map[string]string) {
	hr := talenthrtest.NewServer(t)
	lms := talentlmstest.NewServer(t, talentlmstest.WithoutRateLimit())
	seed(hr, lms, testNow)
	return hr, lms, map[string]string{
		"TALENTHR_API_KEY": talenthrtest.APIKey, "TALENTHR_BASE_URL": hr.BaseURL(),
		"TALENTLMS_DOMAIN": talentlmstest.Domain, "TALENTLMS_API_KEY": talentlmstest.APIKey, "TALENTLMS_BASE_URL": lms.BaseURL(),
	}
}

// The credentials point at fakes: the program takes the real-account
// path, writes nothing without -apply, keeps its links in -state, and
// with TALENTHR_TRAINING_FILE keeps the TalentHR side's training in that
// file between runs.
func TestRealAccountsMode(t *testing.T) {
	hr, lms, env := fakeAccounts(t)
	state := t.TempDir()
	r := runMain(t, env, "-direction", "two-way", "-state", state)
	if r.code != 0 || !strings.Contains(r.out, "TalentHR <-> TalentLMS (acme.talentlms.com). State: ") ||
		!strings.Contains(r.stderr, "TALENTHR_TRAINING_FILE is not set: people only") {
		t.Fatal(r)
	}
	if n := hr.Log().Count(talenthrtest.IsWrite) + lms.Log().Count(talentlmstest.IsMutation); n != 0 {
		t.Errorf("%d writes without -apply", n)
	}
	env["TALENTHR_TRAINING_FILE"] = filepath.Join(t.TempDir(), "training.jsonl")
	if r := runMain(t, env, "-direction", "lms-to-hr", "-state", state, "-apply"); r.code != 0 || !strings.Contains(r.out, "Lena Park in Onboarding") {
		t.Fatalf("apply:\n%s", r)
	}
	b, err := os.ReadFile(env["TALENTHR_TRAINING_FILE"])
	if err != nil || strings.Count(string(b), `"enrollment"`) != 4 || strings.Count(string(b), `"course"`) != 3 {
		t.Errorf("training file %q %v: want 3 courses and 4 enrollments", b, err)
	}
	if r := runMain(t, env, "-direction", "lms-to-hr", "-state", state); r.code != 0 || !strings.Contains(r.out, "No changes. TalentHR matches TalentLMS") {
		t.Errorf("re-plan with the kept training:\n%s", r)
	}
	for _, k := range []string{talenthrtest.APIKey, talentlmstest.APIKey} {
		if strings.Contains(r.out+r.stderr, k) {
			t.Error("an API key is printed")
		}
	}
}

// TALENTLMS_BRANCH limits real accounts to one branch, like -branch the fakes.
func TestRealAccountsBranch(t *testing.T) {
	_, _, env := fakeAccounts(t)
	env["TALENTLMS_BRANCH"] = "Engineering"
	r := runMain(t, env, "-direction", "lms-to-hr", "-state", t.TempDir())
	if r.code != 0 || !strings.Contains(r.out, ", branch Engineering") || !strings.Contains(r.out, "Lena Park") || strings.Contains(r.out, "Omar Haddad") {
		t.Errorf("%s", r)
	}
	r = runMain(t, nil, "-direction", "lms-to-hr", "-branch", "Sales")
	if r.code != 0 || !strings.Contains(r.out, "Omar Haddad") || strings.Contains(r.out, "Lena Park") {
		t.Errorf("-branch Sales on the fakes:\n%s", r)
	}
}
