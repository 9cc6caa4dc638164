package syncenginetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

func storeBadInput(t *testing.T, f StoreFactory) {
	s := f.New(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	ctx := storeCtx
	okDue := syncengine.Due{Collection: syncengine.Users, Side: syncengine.SideA, ID: "1", Kind: "deactivate", At: storeT0}
	badDue := func(change func(*syncengine.Due)) syncengine.Due { d := okDue; change(&d); return d }
	pend := []syncengine.Pending{{Collection: syncengine.Users, Side: syncengine.SideA, ID: "1"}}
	_, lockErr := s.Lock(cancelled, storePair)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"PutLink: empty pair", s.PutLink(ctx, "", storeLink(syncengine.Users, "1", "b"))},
		{"PutLink: no collection", s.PutLink(ctx, storePair, syncengine.Link{AID: "1", BID: "b"})},
		{"PutLink: no A id", s.PutLink(ctx, storePair, syncengine.Link{Collection: syncengine.Users, BID: "b"})},
		{"PutLink: no B id", s.PutLink(ctx, storePair, syncengine.Link{Collection: syncengine.Users, AID: "1"})},
		{"PutLink: cancelled", s.PutLink(cancelled, storePair, storeLink(syncengine.Users, "1", "b"))},
		{"PutCursor: empty name", s.PutCursor(ctx, storePair, "", "v")},
		{"PutCursor: cancelled", s.PutCursor(cancelled, storePair, "users", "v")},
		{"AddRun: empty pair", s.AddRun(ctx, "", syncengine.RunRecord{ID: "r"})},
		{"PutDue: no time", s.PutDue(ctx, storePair, badDue(func(d *syncengine.Due) { d.At = time.Time{} }))},
		{"PutDue: bad side", s.PutDue(ctx, storePair, badDue(func(d *syncengine.Due) { d.Side = "c" }))},
		{"PutDue: no id", s.PutDue(ctx, storePair, badDue(func(d *syncengine.Due) { d.ID = "" }))},
		{"PutDue: no kind", s.PutDue(ctx, storePair, badDue(func(d *syncengine.Due) { d.Kind = "" }))},
		{"AddPending: bad side", s.AddPending(ctx, storePair, []syncengine.Pending{{Collection: syncengine.Users, Side: "x", ID: "1"}})},
		{"AddPending: no id", s.AddPending(ctx, storePair, []syncengine.Pending{pend[0], {Collection: syncengine.Users, Side: syncengine.SideA}})},
		{"AddPending: cancelled", s.AddPending(cancelled, storePair, pend)},
		{"PutLookup: empty key", s.PutLookup(ctx, storePair, "", syncengine.Lookup{Value: []byte("v")})},
		{"Lock: cancelled", lockErr},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := s.Links(ctx, "", syncengine.Users); err == nil {
		t.Error("Links with an empty pair: no error")
	}
	diffState(t, "after refused writes", storeState{}, dumpStore(t, s, storePair))
}

func storeLock(t *testing.T, f StoreFactory) {
	s := f.New(t)
	unlock, err := s.Lock(storeCtx, storePair)
	must(t, "Lock", err)
	others := []syncengine.Store{s}
	if f.Reopen != nil {
		others = append(others, f.Reopen(t, s)) // another process on the same data
	}
	for i, o := range others {
		if _, err := o.Lock(storeCtx, storePair); !errors.Is(err, syncengine.ErrLocked) {
			t.Errorf("store %d: second Lock: err = %v, want ErrLocked", i, err)
		}
	}
	u2, err := s.Lock(storeCtx, "other")
	if err != nil {
		t.Errorf("Lock of another pair: %v", err)
	} else {
		must(t, "unlock other", u2())
	}
	must(t, "unlock", unlock())
	must(t, "second unlock", unlock())
	last := others[len(others)-1]
	u3, err := last.Lock(storeCtx, storePair)
	must(t, "Lock after unlock", err)
	if _, err := s.Lock(storeCtx, storePair); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("Lock while the other holds it: err = %v, want ErrLocked", err)
	}
	must(t, "unlock", u3())
	u4, err := s.Lock(storeCtx, storePair)
	must(t, "Lock taken again", err)
	must(t, "unlock", u4())
}

func storeLockRace(t *testing.T, f StoreFactory) {
	s := f.New(t)
	stores := []syncengine.Store{s}
	if f.Reopen != nil {
		stores = append(stores, f.Reopen(t, s))
	}
	const n = 16
	var wg sync.WaitGroup
	results := make(chan error, n)
	unlocks := make(chan func() error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			unlock, err := stores[i%len(stores)].Lock(storeCtx, storePair)
			results <- err
			if err == nil {
				unlocks <- unlock
			}
		}()
	}
	close(start)
	wg.Wait()
	close(results)
	close(unlocks)
	won := 0
	for err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, syncengine.ErrLocked):
			t.Errorf("Lock: %v, want nil or ErrLocked", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d racing Lock calls won, want exactly 1", won, n)
	}
	for u := range unlocks {
		must(t, "unlock", u())
	}
}

func storeConcurrent(t *testing.T, f StoreFactory) {
	const workers, each = 8, 25
	s := f.New(t)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := concurrentWork(s, w, each); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	stores := []syncengine.Store{s}
	if f.Reopen != nil {
		stores = append(stores, f.Reopen(t, s))
	}
	for i, s := range stores {
		links, err := s.Links(storeCtx, storePair, syncengine.Users)
		must(t, "Links", err)
		pending, err := s.Pending(storeCtx, storePair)
		must(t, "Pending", err)
		seqs := map[uint64]bool{}
		for _, p := range pending {
			seqs[p.Seq] = true
		}
		if len(links) != workers*each || len(pending) != workers*each || len(seqs) != len(pending) {
			t.Errorf("store %d: %d links, %d pending with %d distinct Seqs; want %d of each", i, len(links), len(pending), len(seqs), workers*each)
		}
		if c, _ := s.Cursor(storeCtx, storePair, "c1"); c == "" {
			t.Errorf("store %d: cursor c1 lost", i)
		}
	}
}

// concurrentWork is one goroutine's mixed writes and reads.
func concurrentWork(s syncengine.Store, w, n int) error {
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("w%d-%d", w, i)
		steps := []func() error{
			func() error { return s.PutLink(storeCtx, storePair, storeLink(syncengine.Users, id, "b"+id)) },
			func() error {
				return s.AddPending(storeCtx, storePair, []syncengine.Pending{{Collection: syncengine.Users, Side: syncengine.SideA, ID: id}})
			},
			func() error { return s.PutCursor(storeCtx, storePair, "c1", id) },
			func() error { _, err := s.Links(storeCtx, storePair, syncengine.Users); return err },
		}
		if i%5 == 0 {
			steps = append(steps, func() error {
				return s.AddRun(storeCtx, storePair, syncengine.RunRecord{ID: id, StartedAt: storeT0})
			})
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return fmt.Errorf("worker %d, step %d: %w", w, i, err)
			}
		}
	}
	return nil
}

func storeReopen(t *testing.T, f StoreFactory) {
	s := f.New(t)
	for i := 0; i < 4; i++ {
		fillStore(t, s, storePair, i)
		fillStore(t, s, "other", i+10)
	}
	must(t, "DeleteLink", s.DeleteLink(storeCtx, storePair, syncengine.Users, "ua"))
	want, wantOther := dumpStore(t, s, storePair), dumpStore(t, s, "other")
	again := f.Reopen(t, s)
	diffState(t, "reopened store", want, dumpStore(t, again, storePair))
	diffState(t, "reopened store, other pair", wantOther, dumpStore(t, again, "other"))
}

// storeCrashBetweenWrites stops using a store after one write returns, as
// a process killed before the next would, and reopens the data.
func storeCrashBetweenWrites(t *testing.T, f StoreFactory) {
	s := f.New(t)
	fillStore(t, s, storePair, 0)
	want := dumpStore(t, s, storePair)
	// Crash: s is dropped unclosed; its next write never happens.
	after := f.Reopen(t, s)
	diffState(t, "after a crash between two writes", want, dumpStore(t, after, storePair))
	fillStore(t, after, storePair, 1)
	want = dumpStore(t, after, storePair)
	diffState(t, "after writes past the crash and another reopen", want, dumpStore(t, f.Reopen(t, s), storePair))
}

func storeLockSeesPrevious(t *testing.T, f StoreFactory) {
	a := f.New(t)
	b := f.Reopen(t, a)
	if _, err := b.Links(storeCtx, storePair, syncengine.Users); err != nil { // b has read the pair, empty
		t.Fatal(err)
	}
	unlock, err := a.Lock(storeCtx, storePair)
	must(t, "Lock", err)
	for i := 0; i < 3; i++ {
		fillStore(t, a, storePair, i)
	}
	must(t, "unlock", unlock())
	unlock, err = b.Lock(storeCtx, storePair)
	must(t, "Lock", err)
	defer unlock()
	diffState(t, "the next holder of the lock", dumpStore(t, a, storePair), dumpStore(t, b, storePair))
}

func storePendingSeqAcrossReopen(t *testing.T, f StoreFactory) {
	s := f.New(t)
	p := []syncengine.Pending{{Collection: syncengine.Users, Side: syncengine.SideA, ID: "1"}}
	must(t, "AddPending", s.AddPending(storeCtx, storePair, p))
	got, err := s.Pending(storeCtx, storePair)
	must(t, "Pending", err)
	must(t, "DonePending", s.DonePending(storeCtx, storePair, got))
	again := f.Reopen(t, s)
	must(t, "AddPending", again.AddPending(storeCtx, storePair, p))
	now, err := again.Pending(storeCtx, storePair)
	must(t, "Pending", err)
	if len(now) != 1 || now[0].Seq <= got[0].Seq {
		t.Errorf("after DonePending and a reopen, a new record has Seq %v, want one above %d: a Seq is never handed out twice", now, got[0].Seq)
	}
}
