package litmos

import (
	"strings"
	"testing"
	"unicode"
)

func TestRedactWord(t *testing.T) {
	tests := []struct{ s, word, want string }{
		{"Invalid source 'acme'", "acme", "Invalid source 'REDACTED'"},
		{"acme", "acme", "REDACTED"},
		{"acme-sync and acme", "acme", "REDACTED-sync and REDACTED"},
		{"acmesync, myacme, acme2", "acme", "acmesync, myacme, acme2"},
		{"GET /v1.svc/users: 404", "users", "GET /v1.svc/REDACTED: 404"},
		{"no users here", "", "no users here"},
		{"Ünïcode acme é", "acme", "Ünïcode REDACTED é"},
		{"éacme", "acme", "éacme"},
	}
	for _, tc := range tests {
		if got := redactWord(tc.s, tc.word); got != tc.want {
			t.Errorf("redactWord(%q, %q) = %q, want %q", tc.s, tc.word, got, tc.want)
		}
	}
}

// FuzzRedactWord: vendor messages are outside input. No standalone
// occurrence of the word survives (unless the word is part of
// "REDACTED"), and text without the word is returned unchanged.
func FuzzRedactWord(f *testing.F) {
	for _, s := range []string{"Invalid source 'acme'", "acme acme-acme", "xacme", "", "\xff acme \xfe"} {
		f.Add(s, "acme")
	}
	f.Add("users/users", "users")
	f.Fuzz(func(t *testing.T, s, word string) {
		got := redactWord(s, word)
		if word == "" || !strings.Contains(s, word) {
			if got != s {
				t.Fatalf("redactWord(%q, %q) = %q changed text without the word", s, word, got)
			}
			return
		}
		if strings.Contains("REDACTED", word) || !strings.ContainsFunc(word, isWordRune) ||
			!isWordRune(firstRune(word)) || !isWordRune(lastRune(word)) {
			return // the property below only holds for words that start and end with a letter or digit
		}
		for i := 0; ; {
			j := strings.Index(got[i:], word)
			if j < 0 {
				break
			}
			at := i + j
			before, after := lastRune(got[:at]), firstRune(got[at+len(word):])
			if !isWordRune(before) && !isWordRune(after) {
				t.Fatalf("redactWord(%q, %q) = %q keeps a standalone %q at %d", s, word, got, word, at)
			}
			i = at + 1
		}
	})
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return unicode.ReplacementChar
}

func lastRune(s string) rune {
	r := []rune(s)
	if len(r) == 0 {
		return unicode.ReplacementChar
	}
	return r[len(r)-1]
}
