package syncengine_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// Records yields the records and then the error, and stops when asked.
func TestRecords(t *testing.T) {
	boom := errors.New("boom")
	recs := []syncengine.Record{{ID: "a"}, {ID: "b"}}
	for _, tc := range []struct {
		err   error
		stop  int // break after this many yields; 0: never
		want  string
		wantE error
	}{
		{nil, 0, "ab", nil},
		{boom, 0, "ab!", boom},
		{boom, 1, "a", nil},
	} {
		var got string
		var gotE error
		n := 0
		for r, err := range syncengine.Records(recs, tc.err) {
			if err != nil {
				got, gotE = got+"!", err
			} else {
				got += r.ID
			}
			if n++; n == tc.stop {
				break
			}
		}
		if got != tc.want || !errors.Is(gotE, tc.wantE) || (tc.wantE == nil && gotE != nil) {
			t.Errorf("Records(%d, %v) stop %d: got %q %v, want %q %v", len(recs), tc.err, tc.stop, got, gotE, tc.want, tc.wantE)
		}
	}
}

func TestRefsTo(t *testing.T) {
	got := syncengine.RefsTo(syncengine.Teams, "t2", "", "t1")
	want := []syncengine.Ref{{Collection: syncengine.Teams, ID: "t2"}, {Collection: syncengine.Teams, ID: "t1"}}
	if !slices.Equal(got, want) {
		t.Errorf("RefsTo = %v, want %v", got, want)
	}
	if got := syncengine.RefsTo(syncengine.Teams, ""); got == nil || len(got) != 0 {
		t.Errorf("RefsTo of no id = %#v, want an empty, non-nil slice", got)
	}
}
