package syncenginetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// storeStaleUnlock calls an unlock again once the lock has passed to
// another holder: the other holder keeps it.
func storeStaleUnlock(t *testing.T, f StoreFactory) {
	s := f.New(t)
	stores := []syncengine.Store{s}
	if f.Reopen != nil {
		stores = append(stores, f.Reopen(t, s))
	}
	u1, err := s.Lock(storeCtx, storePair)
	must(t, "Lock", err)
	must(t, "unlock", u1())
	next := stores[len(stores)-1]
	u2, err := next.Lock(storeCtx, storePair)
	must(t, "Lock by the next holder", err)
	_ = u1() // stale: whatever it answers, it must release nothing
	for i, o := range stores {
		if _, err := o.Lock(storeCtx, storePair); !errors.Is(err, syncengine.ErrLocked) {
			t.Errorf("store %d: Lock after a stale unlock: err = %v, want ErrLocked (the next holder still holds it)", i, err)
		}
	}
	must(t, "unlock", u2())
}

// storeConcurrentInstances writes through two instances on the same data
// at once, as two processes would.
func storeConcurrentInstances(t *testing.T, f StoreFactory) {
	const workers, each = 8, 20
	a := f.New(t)
	stores := []syncengine.Store{a, f.Reopen(t, a)}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := concurrentWork(stores[w%2], w, each); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	stores = append(stores, f.Reopen(t, a))
	var first storeState
	for i, s := range stores {
		st := dumpStore(t, s, storePair)
		var last uint64
		for _, p := range st.Pending {
			if p.Seq <= last {
				t.Errorf("store %d: Pending Seqs %d then %d: want growing, never handed out twice", i, last, p.Seq)
			}
			last = p.Seq
		}
		if n := len(st.Links[syncengine.Users]); n != workers*each || len(st.Pending) != workers*each {
			t.Errorf("store %d: %d links and %d pending; want %d of each", i, n, len(st.Pending), workers*each)
		}
		if i == 0 {
			first = st
		} else {
			diffState(t, "the two instances", first, st)
		}
	}
}

// storeLockLapses lets a holder's lock lapse while it still runs, as when
// it is paused or cut off from the database for longer than its lease: a
// second instance takes the lock over, and the old holder can write
// nothing any more.
func storeLockLapses(t *testing.T, f StoreFactory) {
	old := f.New(t)
	next := f.Reopen(t, old)
	third := f.Reopen(t, old)
	unlockOld, err := old.Lock(storeCtx, storePair)
	must(t, "Lock", err)
	fillStore(t, old, storePair, 0) // while the lock holds: kept
	if _, err := next.Lock(storeCtx, storePair); !errors.Is(err, syncengine.ErrLocked) {
		t.Fatalf("Lock while the lock holds: err = %v, want ErrLocked", err)
	}
	f.Expire(t, old, storePair)
	unlockNext, err := next.Lock(storeCtx, storePair)
	must(t, "Lock of a lapsed lock", err)
	want := dumpStore(t, old, storePair)

	for name, err := range oldHolderWrites(old) {
		if !errors.Is(err, syncengine.ErrLocked) {
			t.Errorf("the old holder's %s after the takeover: err = %v, want ErrLocked", name, err)
		}
	}
	ev := syncengine.Pending{Collection: syncengine.Users, Side: syncengine.SideA, ID: "late-event"}
	must(t, "AddPending by the old holder (events are recorded whoever holds the lock)",
		old.AddPending(storeCtx, storePair, []syncengine.Pending{ev}))
	got := dumpStore(t, next, storePair)
	if n := len(got.Pending); n > 0 && got.Pending[n-1].ID == ev.ID {
		want.Pending = append(want.Pending, got.Pending[n-1])
	} else {
		t.Errorf("the old holder's AddPending is not pending: %+v", got.Pending)
	}
	diffState(t, "the new holder's view: the old holder's writes before the takeover, none after", want, got)

	_ = unlockOld() // it may say the lock was lost; it must not release the new holder's
	for i, s := range []syncengine.Store{old, next, third} {
		if _, err := s.Lock(storeCtx, storePair); !errors.Is(err, syncengine.ErrLocked) {
			t.Errorf("store %d: Lock after the old holder's unlock: err = %v, want ErrLocked (the new holder has it)", i, err)
		}
	}
	must(t, "PutCursor by the new holder", next.PutCursor(storeCtx, storePair, "c1", "new holder"))
	must(t, "unlock", unlockNext())
	again, err := old.Lock(storeCtx, storePair)
	must(t, "Lock by the old holder once the new one released it", err)
	must(t, "PutCursor by the old holder, holding the lock again", old.PutCursor(storeCtx, storePair, "c2", "again"))
	must(t, "unlock", again())
}

// oldHolderWrites tries every write but AddPending, each on something
// fillStore wrote, so that a write let through would show.
func oldHolderWrites(s syncengine.Store) map[string]error {
	due := syncengine.Due{Collection: syncengine.Users, Side: syncengine.SideA, ID: "ua", Kind: "deactivate", At: storeT0}
	return map[string]error{
		"PutLink":     s.PutLink(storeCtx, storePair, storeLink(syncengine.Users, "stale", "b-stale")),
		"DeleteLink":  s.DeleteLink(storeCtx, storePair, syncengine.Users, "ua"),
		"PutCursor":   s.PutCursor(storeCtx, storePair, "c1", "stale"),
		"AddRun":      s.AddRun(storeCtx, storePair, syncengine.RunRecord{ID: "stale", StartedAt: storeT0}),
		"PutDue":      s.PutDue(storeCtx, storePair, syncengine.Due{Collection: syncengine.Users, Side: syncengine.SideA, ID: "stale", Kind: "invite", At: storeT0}),
		"DeleteDue":   s.DeleteDue(storeCtx, storePair, due),
		"DonePending": s.DonePending(storeCtx, storePair, []syncengine.Pending{{Collection: syncengine.Users, Side: syncengine.SideA, ID: "ua", Seq: 1 << 40}}),
		"PutLookup":   s.PutLookup(storeCtx, storePair, "k1", syncengine.Lookup{Value: []byte("stale"), At: storeT0}),
	}
}

// storeCrashWhileLocked drops a holder without unlocking, as a killed
// process would: the lock stays taken until it lapses, and the next holder
// then finds every write the dead one made.
func storeCrashWhileLocked(t *testing.T, f StoreFactory) {
	dead := f.New(t)
	if _, err := dead.Lock(storeCtx, storePair); err != nil {
		t.Fatal(err)
	}
	fillStore(t, dead, storePair, 0)
	fillStore(t, dead, storePair, 1)
	want := dumpStore(t, dead, storePair)
	// Crash: dead is dropped, its lock never unlocked.
	next := f.Reopen(t, dead)
	if _, err := next.Lock(storeCtx, storePair); !errors.Is(err, syncengine.ErrLocked) {
		t.Fatalf("Lock before the dead holder's lock lapsed: err = %v, want ErrLocked", err)
	}
	f.Expire(t, dead, storePair)
	unlock, err := next.Lock(storeCtx, storePair)
	must(t, "Lock once the dead holder's lock lapsed", err)
	diffState(t, "the next holder after a crash while locked", want, dumpStore(t, next, storePair))
	fillStore(t, next, storePair, 2)
	must(t, "unlock", unlock())
}
