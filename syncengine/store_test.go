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

// TestLinkListOrder checks that linkList yields every link once, by A id,
// through the ways its kept order changes: first links, links added
// later (merged in), updates of a link, deletions and a deleted link
// added again.
func TestLinkListOrder(t *testing.T) {
	p := newPairState(0)
	want := map[string]string{}
	put := func(a, b string) {
		p.putLink(storeLink(Users, a, b))
		want[a] = b
	}
	check := func(step string) {
		t.Helper()
		got := p.linkList(Users)
		if len(got) != len(want) {
			t.Fatalf("%s: %d links, want %d", step, len(got), len(want))
		}
		for i, l := range got {
			if i > 0 && got[i-1].AID >= l.AID {
				t.Fatalf("%s: link %d %q after %q", step, i, l.AID, got[i-1].AID)
			}
			if want[l.AID] != l.BID {
				t.Fatalf("%s: link %q → %q, want → %q", step, l.AID, l.BID, want[l.AID])
			}
		}
	}
	for _, a := range []string{"e5", "e1", "e9", "e3", "e7"} {
		put(a, "l"+a)
	}
	check("first links")
	for _, a := range []string{"e8", "e0", "e4", "e99"} {
		put(a, "l"+a)
	}
	check("links added")
	put("e3", "moved")
	check("link updated")
	p.deleteLink(Users, "e5")
	p.deleteLink(Users, "e0")
	p.deleteLink(Users, "missing")
	delete(want, "e5")
	delete(want, "e0")
	check("links deleted")
	put("e5", "back")
	put("e2", "l-e2")
	check("deleted link added again")
	p.deleteLink(Users, "e5")
	put("e5", "again")
	delete(want, "e99")
	p.deleteLink(Users, "e99")
	check("deleted and added before a read")
	if got := p.linkList(Teams); len(got) != 0 {
		t.Errorf("collection without links: %d links", len(got))
	}
}
