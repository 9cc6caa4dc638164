package syncengine_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// lostLockStore is a memory store whose lock is lost (taken over, as a
// lease is) after it has stored keep links: from then on every write
// fails with ErrLocked, as a fenced store refuses the old holder's writes.
type lostLockStore struct {
	*syncengine.MemoryStore
	keep int32
	puts atomic.Int32
}

var errLeaseLost = fmt.Errorf("the lease was taken over: %w", syncengine.ErrLocked)

func (s *lostLockStore) PutLink(ctx context.Context, pair string, l syncengine.Link) error {
	if s.puts.Add(1) > s.keep {
		return errLeaseLost
	}
	return s.MemoryStore.PutLink(ctx, pair, l)
}

func (s *lostLockStore) DeleteLink(ctx context.Context, pair string, c syncengine.Collection, aID string) error {
	if s.puts.Load() >= s.keep {
		return errLeaseLost
	}
	return s.MemoryStore.DeleteLink(ctx, pair, c, aID)
}

// TestLostLockStopsTheRun: once the store refuses a write because the
// pair's lock was lost, the run writes nothing more to the connectors (the
// new holder does the rest) and its error wraps ErrLocked.
func TestLostLockStopsTheRun(t *testing.T) {
	const people, keep = 12, 3
	for _, conc := range []int{1, 4} {
		t.Run(fmt.Sprint("concurrency-", conc), func(t *testing.T) {
			v := newEnv(nil, nil)
			for i := range people {
				v.hr.Put(syncengine.Users, person(fmt.Sprintf("e%02d", i), fmt.Sprintf("p%02d@example.com", i), "Ana", "Lima", true))
			}
			store := &lostLockStore{MemoryStore: v.store, keep: keep}
			v.cfg.Store, v.cfg.Concurrency = store, conc
			rep, err := v.engine(t).Sync(context.Background())
			if !errors.Is(err, syncengine.ErrLocked) {
				t.Fatalf("Sync: err = %v, want ErrLocked", err)
			}
			// The write whose link was refused happened; the writes in flight
			// when it was refused (one per other worker) may have too.
			creates := v.lms.Writes()
			if creates < keep+1 || creates > keep+conc {
				t.Errorf("%d creates after the lock was lost at the %d-th link; want %d to %d", creates, keep+1, keep+1, keep+conc)
			}
			if rep == nil || rep.Counts[syncengine.ResultNotAttempted] < people-keep-conc {
				t.Errorf("report counts %v: want at least %d not attempted", rep.Counts, people-keep-conc)
			}
			if n := len(v.storedLinks(t)); n != keep {
				t.Errorf("%d links stored, want %d", n, keep)
			}
		})
	}
}
