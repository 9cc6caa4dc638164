package talentlms_test

import (
	"errors"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talentlms"
)

// Enrollment ids come back from the engine's store: any text either splits
// into two TalentLMS ids that rebuild it, or is refused as not found.
func FuzzSplitEnrollmentID(f *testing.F) {
	for _, s := range []string{"7:101", "7:", ":101", "a:b", "7:101:1", "", "007:0101", "1:2\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		u, c, err := talentlms.SplitEnrollmentID(id)
		if err != nil {
			if !errors.Is(err, syncengine.ErrNotFound) {
				t.Fatalf("SplitEnrollmentID(%q): %v, want ErrNotFound", id, err)
			}
			return
		}
		if talentlms.EnrollmentID(u, c) != id || u == "" || c == "" {
			t.Fatalf("SplitEnrollmentID(%q) = %q, %q", id, u, c)
		}
	})
}
