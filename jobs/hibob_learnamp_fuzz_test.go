package jobs_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/jobs"
)

// FuzzParseInvitePolicy: a policy from the command line is one of the
// three, read back as itself, or an error that names what was given;
// "" is the default.
func FuzzParseInvitePolicy(f *testing.F) {
	for _, s := range []string{"", "start-date", "now", "never", "Now", " now", "start_date", "later"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := jobs.ParseInvitePolicy(s)
		switch {
		case err != nil:
			if p != "" || !strings.Contains(err.Error(), "invite policy") {
				t.Fatalf("ParseInvitePolicy(%q) = %q, %v", s, p, err)
			}
		case s == "":
			if p != jobs.InviteOnStartDate {
				t.Fatalf(`ParseInvitePolicy("") = %q, want the default`, p)
			}
		case string(p) != s || !slices.Contains(jobs.InvitePolicies(), p):
			t.Fatalf("ParseInvitePolicy(%q) = %q", s, p)
		}
	})
}
