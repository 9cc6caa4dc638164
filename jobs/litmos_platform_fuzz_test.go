package jobs_test

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/jobs"
)

// ValidEmail takes Litmos's Email field as it comes: it never panics, and
// what it accepts is a bare address net/mail reads the same, with a
// dotted domain.
func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"ana@example.com", "ana@localhost", "Ana <ana@example.com>", `"a b"@x.co`, "", "@", "a@b.c,d@e.f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !jobs.ValidEmail(s) {
			return
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || strings.TrimSpace(s) != s {
			t.Fatalf("ValidEmail(%q) but net/mail reads %+v, %v", s, a, err)
		}
		at := strings.LastIndexByte(a.Address, '@')
		if at < 0 || !strings.Contains(a.Address[at+1:], ".") {
			t.Fatalf("ValidEmail(%q): the domain of %q has no dot", s, a.Address)
		}
	})
}
