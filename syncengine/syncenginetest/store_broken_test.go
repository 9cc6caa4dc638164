package syncenginetest_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// brokenStore breaks one rule of the contract per method it overrides.
type brokenStore struct{ *syncengine.MemoryStore }

// Links comes in reverse A id order.
func (b brokenStore) Links(ctx context.Context, pair string, c syncengine.Collection) ([]syncengine.Link, error) {
	links, err := b.MemoryStore.Links(ctx, pair, c)
	slices.Reverse(links)
	return links, err
}

// DonePending removes records named again while they were being synced.
func (b brokenStore) DonePending(ctx context.Context, pair string, ps []syncengine.Pending) error {
	all := slices.Clone(ps)
	for i := range all {
		all[i].Seq = ^uint64(0)
	}
	return b.MemoryStore.DonePending(ctx, pair, all)
}

// Lock is never exclusive.
func (b brokenStore) Lock(ctx context.Context, pair string) (func() error, error) {
	return func() error { return nil }, ctx.Err()
}

// TestBrokenStoreContract runs the store suite on brokenStore, which
// also claims a retention it does not keep, leases that lapse and sharing
// with other instances, and "reopens" to an empty store,
// in a child process, and checks that it fails for exactly those reasons.
func TestBrokenStoreContract(t *testing.T) {
	if os.Getenv("SYNCENGINETEST_BROKEN_STORE") == "1" {
		syncenginetest.RunStoreTests(t, syncenginetest.StoreFactory{
			New:      func(*testing.T) syncengine.Store { return brokenStore{syncengine.NewMemoryStore()} },
			Reopen:   func(*testing.T, syncengine.Store) syncengine.Store { return brokenStore{syncengine.NewMemoryStore()} },
			Expire:   func(*testing.T, syncengine.Store, string) {}, // claims leases, lets none lapse
			Shared:   true,
			KeepRuns: 3,
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenStoreContract$", "-test.v")
	cmd.Env = append(os.Environ(), "SYNCENGINETEST_BROKEN_STORE=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the suite passes a broken store:\n%s", out)
	}
	var failed []string
	for _, m := range regexp.MustCompile(`--- FAIL: TestBrokenStoreContract/(\w+) \(`).FindAllStringSubmatch(string(out), -1) {
		failed = append(failed, m[1])
	}
	slices.Sort(failed)
	want := []string{"Concurrent", "ConcurrentInstances", "CrashBetweenWrites", "CrashWhileLocked", "Links", "LinksOrder",
		"Lock", "LockLapses", "LockRace", "LockSeesPreviousHolder", "Pending", "PendingSeqAcrossReopen", "Reopen",
		"RunRetention", "StaleUnlock", "SyncedValues"}
	if diff := cmp.Diff(want, failed); diff != "" {
		t.Errorf("failing checks (-want +got):\n%s\n%s", diff, out)
	}
	for _, msg := range []string{"Links order", "racing Lock calls won, want exactly 1", "want record 2 with a Seq above",
		"keeping 3", "reopened store", "Lock after a stale unlock", "Lock while the lock holds",
		"Lock before the dead holder's lock lapsed", "want 160 of each"} {
		if !strings.Contains(string(out), msg) {
			t.Errorf("suite output lacks %q", msg)
		}
	}
}
