package syncengine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// A run stopped part way (Ctrl-C: its context cancelled) reports what it
// wrote as written, the write in flight at the stop as failed with its
// outcome unknown, and every record it never reached as "not attempted",
// never "failed"; the rerun writes the rest and duplicates nothing.
func TestCancelledRunReportsTheRestNotAttempted(t *testing.T) {
	const n, stopAt = 40, 10
	v := newEnv(nil, nil)
	v.cfg.Concurrency = 1 // the writes in order, so the counts are exact
	for i := range n {
		v.hr.Put(syncengine.Users, person(fmt.Sprintf("e%02d", i), fmt.Sprintf("p%02d@example.com", i), "First", "Last", true))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v.lms.CancelAfterWrites(stopAt, cancel)
	rep, err := v.engine(t).Sync(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Sync: %v, want context.Canceled", err)
	}
	if rep == nil {
		t.Fatal("no report")
	}
	want := map[syncengine.Result]int{
		syncengine.ResultCreated:      stopAt - 1,
		syncengine.ResultFailed:       1,
		syncengine.ResultNotAttempted: n - stopAt,
	}
	for r, c := range rep.Counts {
		if c != want[r] {
			t.Errorf("%d %q, want %d (counts %v)", c, r, want[r], rep.Counts)
		}
	}
	for _, o := range rep.Outcomes {
		if o.Result == syncengine.ResultFailed && !strings.Contains(o.Error, syncengine.ErrOutcomeUnknown.Error()) {
			t.Errorf("%s failed with %q, want the in-flight write's unknown outcome", o.Key, o.Error)
		}
	}
	v.lms.ClearFaults()
	rep = v.sync(t)
	// The write in flight was applied: the rerun finds it by email.
	if rep.Counts[syncengine.ResultCreated] != n-stopAt || rep.Counts[syncengine.ResultUnchanged] != stopAt || rep.Failed() {
		t.Errorf("the rerun: %v, want %d created and %d unchanged", rep.Counts, n-stopAt, stopAt)
	}
	if len(v.lms.Records(syncengine.Users)) != n {
		t.Errorf("%d learners, want %d: a duplicate or a loss", len(v.lms.Records(syncengine.Users)), n)
	}
}
