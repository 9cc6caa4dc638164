package syncenginetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rostersync/rostersync/syncengine"
)

// StoreFactory makes the stores RunStoreTests checks.
type StoreFactory struct {
	// New returns a new, empty store. It is called once or more per
	// subtest; release what it opens with t.Cleanup.
	New func(t *testing.T) syncengine.Store
	// Reopen returns a second store on the same data as s (a store New
	// made), as another process, or the same one restarted, would open it.
	// The suite may stop using s without closing it, as a crashed process
	// would. Nil for a store whose data lives and dies with it
	// (syncengine.MemoryStore): the durability checks are then skipped.
	Reopen func(t *testing.T, s syncengine.Store) syncengine.Store
	// KeepRuns is the run retention of the stores New makes: AddRun keeps
	// the last KeepRuns runs. 0 skips that check.
	KeepRuns int
	// Expire makes the lock of pair that s (a store New or Reopen made)
	// holds lapse now, as a lease does when its holder stops renewing it
	// (paused, cut off from the database, or killed) for longer than the
	// lease lasts. Nil for stores whose locks never lapse: the lease
	// checks are then skipped. They need Reopen too.
	Expire func(t *testing.T, s syncengine.Store, pair string)
	// Shared says that instances on the same data may write at once
	// without the lock, as many processes do on a database, and each sees
	// every write. The file store serves one process at a time and leaves
	// it unset. Shared needs Reopen.
	Shared bool
}

// RunStoreTests checks that the stores f makes keep the syncengine.Store
// contract: links (put, replace, delete, per collection and pair, ordered
// by A id) with their synced values; cursors; run history (order,
// retention); due times (replaced by key, deleted whatever their time,
// ordered by time); pending records (Seqs that only grow, coalescing,
// DonePending keeping a record named again); cached lookups; copies in and
// out and times in UTC; bad input refused and storing nothing; the lock
// (exclusive, ErrLocked, released, taken again, one winner of a race);
// an unlock called again after the lock passed on releasing nothing; many
// goroutines at once; and, for durable stores, everything surviving a
// reopen and a crash between two writes, and a lock holder seeing the
// writes of the holder before it; for stores many processes share
// (StoreFactory.Shared), two instances writing at once. For stores
// whose locks are leases (StoreFactory.Expire), a lapsed lock is taken
// over, and its old holder's writes then fail with ErrLocked and change
// nothing (AddPending, which records events whoever holds the lock,
// still works), while its unlock leaves the new holder's lock alone.
//
//	func TestStoreContract(t *testing.T) {
//		syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
//			New:    func(t *testing.T) syncengine.Store { return openMyStore(t) },
//			Reopen: func(t *testing.T, s syncengine.Store) syncengine.Store { return reopenMyStore(t, s) },
//			KeepRuns: syncengine.DefaultKeepRuns,
//		})
//	}
func RunStoreTests(t *testing.T, f StoreFactory) {
	t.Helper()
	if f.New == nil {
		t.Fatal("syncenginetest: StoreFactory.New is nil")
	}
	for _, c := range storeCases() {
		t.Run(c.name, func(t *testing.T) {
			switch {
			case c.needs&needReopen != 0 && f.Reopen == nil:
				t.Skip("the store is not durable (StoreFactory.Reopen is nil)")
			case c.needs&needExpire != 0 && f.Expire == nil:
				t.Skip("the store's locks do not lapse (StoreFactory.Expire is nil)")
			case c.needs&needShared != 0 && !f.Shared:
				t.Skip("the store serves one process at a time (StoreFactory.Shared is false)")
			}
			c.run(t, f)
		})
	}
}

type storeCase struct {
	name  string
	needs storeNeeds
	run   func(t *testing.T, f StoreFactory)
}

// storeNeeds says what of StoreFactory a case needs.
type storeNeeds int

const (
	needReopen storeNeeds = 1 << iota
	needExpire
	needShared
	durable = needReopen
	leased  = needReopen | needExpire
	shared  = needReopen | needShared
)

func storeCases() []storeCase {
	return []storeCase{
		{"Links", 0, storeLinks},
		{"LinksOrder", 0, storeLinksOrder},
		{"SyncedValues", 0, storeSyncedValues},
		{"Copies", 0, storeCopies},
		{"TimesInUTC", 0, storeTimesInUTC},
		{"Cursors", 0, storeCursors},
		{"Runs", 0, storeRuns},
		{"RunRetention", 0, storeRunRetention},
		{"Dues", 0, storeDues},
		{"Pending", 0, storePending},
		{"PendingCoalesces", 0, storePendingCoalesces},
		{"Lookups", 0, storeLookups},
		{"BadInput", 0, storeBadInput},
		{"Lock", 0, storeLock},
		{"LockRace", 0, storeLockRace},
		{"StaleUnlock", 0, storeStaleUnlock},
		{"Concurrent", 0, storeConcurrent},
		{"Reopen", durable, storeReopen},
		{"CrashBetweenWrites", durable, storeCrashBetweenWrites},
		{"LockSeesPreviousHolder", durable, storeLockSeesPrevious},
		{"PendingSeqAcrossReopen", durable, storePendingSeqAcrossReopen},
		{"ConcurrentInstances", shared, storeConcurrentInstances},
		{"LockLapses", leased, storeLockLapses},
		{"CrashWhileLocked", leased, storeCrashWhileLocked},
	}
}

// storeCmp compares what stores return: times by instant, nil and empty
// maps and slices alike.
var storeCmp = []cmp.Option{cmpopts.EquateEmpty()}

var (
	storeT0  = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	storeCtx = context.Background()
)

const storePair = "hr->lms"

func storeLink(c syncengine.Collection, a, b string) syncengine.Link {
	return syncengine.Link{Collection: c, AID: a, BID: b, UpdatedAt: storeT0,
		Synced: map[string]string{"b.email": a + "@example.com", "b.@active": "true"}}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// storeState is what a store holds for one pair, for comparisons.
type storeState struct {
	Links   map[syncengine.Collection][]syncengine.Link
	Cursors map[string]string
	Runs    []syncengine.RunRecord
	Dues    []syncengine.Due
	Pending []syncengine.Pending
	Lookups map[string]syncengine.Lookup
}

var (
	storeCollections = []syncengine.Collection{syncengine.Users, syncengine.Teams, syncengine.Enrollments}
	storeCursorNames = []string{"users", "teams", "c1", "c2"}
	storeLookupKeys  = []string{"fields", "k1", "k2"}
)

func dumpStore(t *testing.T, s syncengine.Store, pair string) storeState {
	t.Helper()
	st := storeState{Links: map[syncengine.Collection][]syncengine.Link{}, Cursors: map[string]string{},
		Lookups: map[string]syncengine.Lookup{}}
	for _, c := range storeCollections {
		links, err := s.Links(storeCtx, pair, c)
		must(t, "Links", err)
		if len(links) > 0 {
			st.Links[c] = links
		}
	}
	for _, n := range storeCursorNames {
		v, err := s.Cursor(storeCtx, pair, n)
		must(t, "Cursor", err)
		if v != "" {
			st.Cursors[n] = v
		}
	}
	for _, k := range storeLookupKeys {
		l, ok, err := s.Lookup(storeCtx, pair, k)
		must(t, "Lookup", err)
		if ok {
			st.Lookups[k] = l
		}
	}
	var err error
	st.Runs, err = s.Runs(storeCtx, pair)
	must(t, "Runs", err)
	st.Dues, err = s.Dues(storeCtx, pair)
	must(t, "Dues", err)
	st.Pending, err = s.Pending(storeCtx, pair)
	must(t, "Pending", err)
	return st
}

// fillStore writes some of everything to pair, varied by i.
func fillStore(t *testing.T, s syncengine.Store, pair string, i int) {
	t.Helper()
	id := func(p string) string { return p + string(rune('a'+i%26)) }
	must(t, "PutLink", s.PutLink(storeCtx, pair, storeLink(syncengine.Users, id("u"), id("lms-"))))
	must(t, "PutLink", s.PutLink(storeCtx, pair, storeLink(syncengine.Teams, id("t"), id("lms-t"))))
	must(t, "PutCursor", s.PutCursor(storeCtx, pair, "c1", id("cursor-")))
	must(t, "AddRun", s.AddRun(storeCtx, pair, syncengine.RunRecord{ID: id("run-"), StartedAt: storeT0,
		FinishedAt: storeT0.Add(time.Minute), Counts: map[string]int{"create": i}}))
	must(t, "PutDue", s.PutDue(storeCtx, pair, syncengine.Due{Collection: syncengine.Users, Side: syncengine.SideA,
		ID: id("u"), Kind: "deactivate", At: storeT0.Add(time.Duration(i) * time.Hour)}))
	must(t, "AddPending", s.AddPending(storeCtx, pair, []syncengine.Pending{{Collection: syncengine.Users,
		Side: syncengine.SideA, ID: id("u"), At: storeT0}}))
	must(t, "PutLookup", s.PutLookup(storeCtx, pair, "k1", syncengine.Lookup{Value: []byte(id("value-")), At: storeT0}))
}

func diffState(t *testing.T, what string, want, got storeState) {
	t.Helper()
	if diff := cmp.Diff(want, got, storeCmp...); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}
