package syncengine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sortLinks orders links by A id: Store.Links promises no order.
func sortLinks(ls []Link) {
	sort.Slice(ls, func(i, j int) bool { return ls[i].AID < ls[j].AID })
}

// storeImpl builds a fresh store for the shared store conformance tests;
// second, when set, opens another instance on the same data (another process).
type storeImpl struct {
	name   string
	open   func(t *testing.T) (Store, func(t *testing.T) Store)
	shared bool
}

func storeImpls() []storeImpl {
	file := func(opts ...FileStoreOption) func(t *testing.T) (Store, func(t *testing.T) Store) {
		return func(t *testing.T) (Store, func(t *testing.T) Store) {
			dir := t.TempDir()
			again := func(t *testing.T) Store { return storeOpenFile(t, dir, opts...) }
			return again(t), again
		}
	}
	return []storeImpl{
		{name: "memory", open: func(t *testing.T) (Store, func(t *testing.T) Store) { return NewMemoryStore(), nil }},
		{name: "file", open: file()},
		{name: "file-compact-often", open: file(FileStoreCompactAfter(2))},
		{name: "file-excl-lock", open: file(storeExclLocker())},
	}
}

func storeExclLocker() FileStoreOption {
	return func(c *fileStoreConfig) { c.locker = exclLocker{now: time.Now} }
}

func storeOpenFile(t *testing.T, dir string, opts ...FileStoreOption) *FileStore {
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
	return Link{Collection: c, AID: a, BID: b, Synced: map[string]string{"email": a + "@example.com"}, UpdatedAt: storeT0}
}

// storeOp is one step of a table-driven store test.
type storeOp struct {
	put    *Link
	del    *Link // Collection and AID name the link to delete
	pair   string
	cursor [2]string
	run    *RunRecord
}

func TestStoreLinks(t *testing.T) {
	u1, u1b, u2, t1 := storeLink(Users, "1", "b1"), storeLink(Users, "1", "b9"), storeLink(Users, "2", "b2"), storeLink(Teams, "1", "bt1")
	u1b.Synced = map[string]string{"email": "new@example.com", "name": "Ana"}
	tests := []struct {
		name string
		ops  []storeOp
		want map[string]map[Collection][]Link // pair → collection → links
	}{
		{"put", []storeOp{{put: &u1}, {put: &u2}, {put: &t1}},
			map[string]map[Collection][]Link{"a->b": {Users: {u1, u2}, Teams: {t1}, Enrollments: {}}}},
		{"replace", []storeOp{{put: &u1}, {put: &u2}, {put: &u1b}},
			map[string]map[Collection][]Link{"a->b": {Users: {u1b, u2}, Teams: {}}}},
		{"delete", []storeOp{{put: &u1}, {put: &u2}, {put: &t1}, {del: &u1}, {del: &u1}},
			map[string]map[Collection][]Link{"a->b": {Users: {u2}, Teams: {t1}}}},
		{"delete absent", []storeOp{{del: &u1}}, map[string]map[Collection][]Link{"a->b": {Users: {}}}},
		{"same ids in another collection", []storeOp{{put: &u1}, {put: &t1}, {del: &t1}},
			map[string]map[Collection][]Link{"a->b": {Users: {u1}, Teams: {}}}},
		{"pairs apart", []storeOp{{put: &u1}, {pair: "c->d", put: &u2}, {pair: "c->d", del: &u1}},
			map[string]map[Collection][]Link{"a->b": {Users: {u1}}, "c->d": {Users: {u2}}}},
	}
	for _, impl := range storeImpls() {
		for _, tt := range tests {
			t.Run(impl.name+"/"+tt.name, func(t *testing.T) {
				s, reopen := impl.open(t)
				storeApply(t, s, tt.ops)
				storeCheckLinks(t, s, tt.want)
				if reopen != nil {
					storeCheckLinks(t, reopen(t), tt.want)
				}
			})
		}
	}
}

func storeApply(t *testing.T, s Store, ops []storeOp) {
	t.Helper()
	ctx := context.Background()
	for i, op := range ops {
		pair := op.pair
		if pair == "" {
			pair = "a->b"
		}
		var err error
		switch {
		case op.put != nil:
			err = s.PutLink(ctx, pair, *op.put)
		case op.del != nil:
			err = s.DeleteLink(ctx, pair, op.del.Collection, op.del.AID)
		case op.run != nil:
			err = s.AddRun(ctx, pair, *op.run)
		default:
			err = s.PutCursor(ctx, pair, op.cursor[0], op.cursor[1])
		}
		if err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
	}
}

func storeCheckLinks(t *testing.T, s Store, want map[string]map[Collection][]Link) {
	t.Helper()
	for pair, byColl := range want {
		for c, links := range byColl {
			got, err := s.Links(context.Background(), pair, c)
			if err != nil {
				t.Fatalf("Links(%s, %s): %v", pair, c, err)
			}
			sortLinks(got)
			if diff := cmp.Diff(links, got); diff != "" {
				t.Errorf("Links(%s, %s) (-want +got):\n%s", pair, c, diff)
			}
		}
	}
}

func TestStoreCursorsAndRuns(t *testing.T) {
	r1 := RunRecord{ID: "r1", StartedAt: storeT0, FinishedAt: storeT0.Add(time.Minute), Counts: map[string]int{"create": 3}}
	r2 := RunRecord{ID: "r2", StartedAt: storeT0.Add(time.Hour), DryRun: true, Err: "boom"}
	r3 := RunRecord{ID: "r3", StartedAt: storeT0.Add(2 * time.Hour)}
	ops := []storeOp{
		{cursor: [2]string{"users", "c1"}}, {run: &r1}, {cursor: [2]string{"users", "c2"}},
		{cursor: [2]string{"teams", ""}}, {run: &r2}, {pair: "c->d", cursor: [2]string{"users", "x"}},
		{run: &r3},
	}
	for _, impl := range storeImpls() {
		t.Run(impl.name, func(t *testing.T) {
			s, reopen := impl.open(t)
			storeApply(t, s, ops)
			check := func(s Store) {
				t.Helper()
				ctx := context.Background()
				for _, c := range []struct{ pair, name, want string }{
					{"a->b", "users", "c2"}, {"a->b", "teams", ""}, {"a->b", "never", ""},
					{"c->d", "users", "x"}, {"e->f", "users", ""},
				} {
					if got, err := s.Cursor(ctx, c.pair, c.name); err != nil || got != c.want {
						t.Errorf("Cursor(%s, %s) = %q, %v; want %q", c.pair, c.name, got, err, c.want)
					}
				}
				runs, err := s.Runs(ctx, "a->b")
				if diff := cmp.Diff([]RunRecord{r1, r2, r3}, runs); diff != "" || err != nil {
					t.Errorf("Runs err = %v, (-want +got):\n%s", err, diff)
				}
				if runs, _ := s.Runs(ctx, "c->d"); len(runs) != 0 {
					t.Errorf("Runs(c->d) = %v, want none", runs)
				}
			}
			check(s)
			if reopen != nil {
				check(reopen(t))
			}
		})
	}
}

func TestStoreRejectsBadInput(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	ctx := context.Background()
	for _, impl := range storeImpls() {
		t.Run(impl.name, func(t *testing.T) {
			s, _ := impl.open(t)
			for _, tc := range []struct {
				name string
				err  error
			}{
				{"empty pair", s.PutLink(ctx, "", storeLink(Users, "1", "b"))},
				{"no collection", s.PutLink(ctx, "p", Link{AID: "1", BID: "b"})},
				{"no A id", s.PutLink(ctx, "p", Link{Collection: Users, BID: "b"})},
				{"no B id", s.PutLink(ctx, "p", Link{Collection: Users, AID: "1"})},
				{"empty cursor name", s.PutCursor(ctx, "p", "", "v")},
				{"cancelled put", s.PutLink(cancelled, "p", storeLink(Users, "1", "b"))},
				{"cancelled lock", storeLockErr(s.Lock(cancelled, "p"))},
			} {
				if tc.err == nil {
					t.Errorf("%s: no error", tc.name)
				}
			}
			if links, err := s.Links(ctx, "p", Users); err != nil || len(links) != 0 {
				t.Errorf("after rejected writes: Links = %v, %v", links, err)
			}
		})
	}
}

func storeLockErr(_ func() error, err error) error { return err }

func TestStoreReturnsCopies(t *testing.T) {
	for _, impl := range storeImpls() {
		t.Run(impl.name, func(t *testing.T) {
			s, _ := impl.open(t)
			ctx := context.Background()
			l := storeLink(Users, "1", "b")
			if err := s.PutLink(ctx, "p", l); err != nil {
				t.Fatal(err)
			}
			l.Synced["email"] = "changed by caller"
			got, _ := s.Links(ctx, "p", Users)
			got[0].Synced["email"] = "changed by reader"
			again, _ := s.Links(ctx, "p", Users)
			if again[0].Synced["email"] != "1@example.com" {
				t.Errorf("store shares maps with callers: %v", again[0].Synced)
			}
		})
	}
}

func TestStoreConcurrentWrites(t *testing.T) {
	const workers, each = 8, 40
	for _, impl := range storeImpls() {
		t.Run(impl.name, func(t *testing.T) {
			s, reopen := impl.open(t)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < each; i++ {
						id := fmt.Sprintf("w%d-%d", w, i)
						if err := s.PutLink(ctx, "p", storeLink(Users, id, "b"+id)); err != nil {
							errs <- err
							return
						}
						if _, err := s.Links(ctx, "p", Users); err != nil {
							errs <- err
							return
						}
						if err := s.PutCursor(ctx, "p", fmt.Sprint("w", w), id); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			stores := []Store{s}
			if reopen != nil {
				stores = append(stores, reopen(t))
			}
			for _, s := range stores {
				if links, _ := s.Links(ctx, "p", Users); len(links) != workers*each {
					t.Errorf("%d links, want %d", len(links), workers*each)
				}
				if c, _ := s.Cursor(ctx, "p", "w3"); c != fmt.Sprintf("w3-%d", each-1) {
					t.Errorf("cursor w3 = %q", c)
				}
			}
		})
	}
}

func TestStoreLock(t *testing.T) {
	ctx := context.Background()
	for _, impl := range storeImpls() {
		t.Run(impl.name, func(t *testing.T) {
			s, reopen := impl.open(t)
			unlock, err := s.Lock(ctx, "a->b")
			if err != nil {
				t.Fatal(err)
			}
			others := []Store{s}
			if reopen != nil {
				others = append(others, reopen(t)) // another process on the same files
			}
			for i, o := range others {
				if _, err := o.Lock(ctx, "a->b"); !errors.Is(err, ErrLocked) {
					t.Errorf("store %d: second Lock: err = %v, want ErrLocked", i, err)
				}
			}
			u2, err := s.Lock(ctx, "c->d")
			if err != nil {
				t.Errorf("Lock of another pair: %v", err)
			} else if err := u2(); err != nil {
				t.Error(err)
			}
			if err := unlock(); err != nil {
				t.Fatalf("unlock: %v", err)
			}
			if err := unlock(); err != nil {
				t.Errorf("second unlock: %v", err)
			}
			last := others[len(others)-1]
			u3, err := last.Lock(ctx, "a->b")
			if err != nil {
				t.Fatalf("Lock after unlock: %v", err)
			}
			if _, err := s.Lock(ctx, "a->b"); !errors.Is(err, ErrLocked) {
				t.Errorf("Lock while the other instance holds it: err = %v, want ErrLocked", err)
			}
			if err := u3(); err != nil {
				t.Error(err)
			}
		})
	}
}
