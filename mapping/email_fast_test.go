package mapping

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestASCIIEmailFastPath: the one-pass check accepts exactly the ASCII
// addresses the full checks accept, on chosen cases and on random
// strings over an alphabet of the characters that matter.
func TestASCIIEmailFastPath(t *testing.T) {
	cases := []string{
		"a@b.co", "Charlotte.Abbott@Efficientoffice.com", "x@sub.example.org", "a.b.c@d-e.fg",
		"@b.co", ".a@b.co", "a.@b.co", "a..b@b.co", "a b@b.co", "a(b@b.co", "a\"b@b.co", "a\\b@b.co",
		"a@", "a@b", "a@b.c", "a@.co", "a@b..co", "a@-b.co", "a@b-.co", "a@b.co-", "a@b_c.co", "a@b.co.",
		"a@b@c.co", strings.Repeat("l", 64) + "@b.co", strings.Repeat("l", 65) + "@b.co",
		"a@" + strings.Repeat("d", 63) + ".co", "a@" + strings.Repeat("d", 64) + ".co", "a\x7f@b.co", "a\x01@b.co",
	}
	r := rand.New(rand.NewPCG(1, 2))
	// Mostly plausible parts, now and then a character that breaks them.
	part := func(n int, common, rare string) string {
		b := make([]byte, n)
		for i := range b {
			if r.IntN(20) == 0 {
				b[i] = rare[r.IntN(len(rare))]
			} else {
				b[i] = common[r.IntN(len(common))]
			}
		}
		return string(b)
	}
	for range 200_000 {
		cases = append(cases, part(r.IntN(8), "abZ09._", "@-( \"\\\x7f.")+"@"+part(r.IntN(12), "ab-09Z.", "_@ .-"))
	}
	valid := 0
	for _, s := range cases {
		at := strings.LastIndexByte(s, '@')
		if at < 0 {
			continue
		}
		full := checkLocal(s[:at]) == nil && checkDomain(s[at+1:]) == nil
		if got := asciiEmailOK(s, at); got != full {
			t.Fatalf("%q: fast path says %v, full checks %v", s, got, full)
		}
		if full {
			valid++
		}
	}
	if valid < 100 {
		t.Fatalf("only %d valid addresses among the cases: the comparison proves little", valid)
	}
}

// BenchmarkValidateEmail checks a typical work address.
func BenchmarkValidateEmail(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := validateEmail("charlotte.abbott@efficientoffice.com"); err != nil {
			b.Fatal(err)
		}
	}
}
