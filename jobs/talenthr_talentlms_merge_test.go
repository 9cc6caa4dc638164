package jobs_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
)

func TestMergeLanguages(t *testing.T) {
	for _, tc := range []struct {
		name       string
		want, have any
		keep       any
	}{
		{"added", "Greek", []any{"English"}, []any{"English", "Greek"}},
		{"already there, in another case", "english", []any{"English", "Greek"}, []any{"English", "Greek"}},
		{"to none", "English", nil, []any{"English"}},
		{"nothing to add", "", []any{"English"}, []any{"English"}},
		{"nothing at all", nil, nil, nil},
		{"a list to add", []any{"French", "English"}, []any{"English"}, []any{"English", "French"}},
	} {
		if got := jobs.MergeLanguages(tc.want, tc.have); !cmp.Equal(got, tc.keep) {
			t.Errorf("%s: MergeLanguages(%v, %v) = %v, want %v", tc.name, tc.want, tc.have, got, tc.keep)
		}
	}
}

// MergeLanguages never drops a language TalentHR lists, always ends with
// the one TalentLMS has, and settles: merging its result again changes
// nothing.
func FuzzMergeLanguages(f *testing.F) {
	f.Add("English", "Greek,English")
	f.Add("", "")
	f.Add(" greek ", "Greek")
	f.Fuzz(func(t *testing.T, want, have string) {
		var hv any
		if have != "" {
			var list []any
			for _, l := range strings.Split(have, ",") {
				list = append(list, l)
			}
			hv = list
		}
		got := jobs.MergeLanguages(want, hv)
		text := strings.ToLower(syncengine.Canonical(got))
		for _, l := range strings.Split(have, ",") {
			if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !strings.Contains(text, l) {
				t.Fatalf("MergeLanguages(%q, %q) = %v dropped %q", want, have, got, l)
			}
		}
		if w := strings.ToLower(strings.TrimSpace(want)); w != "" && !strings.Contains(text, w) {
			t.Fatalf("MergeLanguages(%q, %q) = %v lacks %q", want, have, got, w)
		}
		if again := jobs.MergeLanguages(want, got); syncengine.Canonical(again) != syncengine.Canonical(got) {
			t.Fatalf("does not settle: %v then %v", got, again)
		}
	})
}
