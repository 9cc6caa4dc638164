package syncengine

import (
	"testing"
	"time"
)

// Helpers of the store tests in package syncengine. The store contract
// itself is checked by syncenginetest.RunStoreTests (store_contract_test.go).

func storeExclLocker() FileStoreOption {
	return func(c *fileStoreConfig) { c.locker = exclLocker{now: time.Now} }
}

func storeOpenFile(t testing.TB, dir string, opts ...FileStoreOption) *FileStore {
	t.Helper()
	s, err := OpenFileStore(dir, opts...)
	if err != nil {
		t.Fatalf("OpenFileStore: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var storeT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func storeLink(c Collection, a, b string) Link {
	return Link{Collection: c, AID: a, BID: b, Synced: map[string]string{"b.email": a + "@example.com"}, UpdatedAt: storeT0}
}

func TestRunRetention(t *testing.T) {
	for _, tc := range []struct {
		keep, add, want int
	}{{3, 10, 3}, {3, 2, 2}, {1, 5, 1}, {0, 150, 150}, {-1, 7, 7}} {
		p := newPairState(tc.keep)
		for i := 0; i < tc.add; i++ {
			p.addRun(RunRecord{ID: string(rune('a' + i%26))})
		}
		if len(p.runs) != tc.want {
			t.Errorf("keep %d, %d runs added: %d kept, want %d", tc.keep, tc.add, len(p.runs), tc.want)
		}
		if tc.add > 0 && p.runs[len(p.runs)-1].ID != string(rune('a'+(tc.add-1)%26)) {
			t.Errorf("keep %d: the newest run was dropped", tc.keep)
		}
	}
}
