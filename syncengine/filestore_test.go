package syncengine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const storePair = "a->b"

// storeState is everything a store holds for one pair, for comparisons.
type storeState struct {
	Links   map[Collection][]Link
	Cursors map[string]string
	Runs    []RunRecord
	Dues    []Due
	Pending []Pending
	Lookups map[string]Lookup
}

var storeCursors, storeLookupKeys = []string{"c0", "c1", "c2"}, []string{"k0", "k1"}

func storeDump(t testing.TB, s Store, pair string) storeState {
	t.Helper()
	ctx := context.Background()
	st := storeState{Links: map[Collection][]Link{}, Cursors: map[string]string{}, Lookups: map[string]Lookup{}}
	for _, c := range []Collection{Users, Teams, Enrollments} {
		links, err := s.Links(ctx, pair, c)
		if err != nil {
			t.Fatalf("Links: %v", err)
		}
		if len(links) > 0 {
			st.Links[c] = links
		}
	}
	for _, name := range storeCursors {
		v, err := s.Cursor(ctx, pair, name)
		if err != nil {
			t.Fatalf("Cursor: %v", err)
		}
		if v != "" {
			st.Cursors[name] = v
		}
	}
	for _, k := range storeLookupKeys {
		if l, ok, err := s.Lookup(ctx, pair, k); err != nil {
			t.Fatalf("Lookup: %v", err)
		} else if ok {
			st.Lookups[k] = l
		}
	}
	var err error
	if st.Runs, err = s.Runs(ctx, pair); err != nil {
		t.Fatalf("Runs: %v", err)
	}
	if st.Dues, err = s.Dues(ctx, pair); err != nil {
		t.Fatalf("Dues: %v", err)
	}
	if st.Pending, err = s.Pending(ctx, pair); err != nil {
		t.Fatalf("Pending: %v", err)
	}
	return st
}

func storeDiff(t testing.TB, what string, want, got storeState) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

// storeWrite is write i of storeWorkload: every kind of write in turn.
func storeWrite(s Store, pair string, i int) error {
	ctx := context.Background()
	colls := []Collection{Users, Teams, Enrollments}
	t := storeT0.Add(time.Duration(i) * time.Minute)
	switch i % 10 {
	case 0, 1, 2:
		return s.PutLink(ctx, pair, storeLink(colls[i%3], fmt.Sprint("a", i%17), fmt.Sprint("b", i)))
	case 3:
		return s.DeleteLink(ctx, pair, colls[i%3], fmt.Sprint("a", (i*7)%17))
	case 4:
		return s.PutCursor(ctx, pair, fmt.Sprint("c", i%3), fmt.Sprint("v", i))
	case 5:
		return s.AddRun(ctx, pair, RunRecord{ID: fmt.Sprint("r", i), StartedAt: t, Counts: map[string]int{"update": i}})
	case 6:
		return s.PutDue(ctx, pair, Due{Collection: Users, Side: SideA, ID: fmt.Sprint("a", i%7), Kind: "deactivate", At: t})
	case 7:
		return s.AddPending(ctx, pair, []Pending{{Collection: Users, Side: SideB, ID: fmt.Sprint("p", i%4), At: t}})
	case 8:
		ps, err := s.Pending(ctx, pair)
		if err != nil || len(ps) == 0 {
			return err
		}
		return s.DonePending(ctx, pair, ps[:1])
	default:
		return s.PutLookup(ctx, pair, fmt.Sprint("k", i%2), Lookup{Value: []byte(fmt.Sprint("v", i)), At: t})
	}
}

// storeWorkload applies writes from..to-1 to every store given.
func storeWorkload(t testing.TB, from, to int, stores ...Store) {
	t.Helper()
	for i := from; i < to; i++ {
		for _, s := range stores {
			if err := storeWrite(s, storePair, i); err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
	}
}

// storeIDs makes a file store name its journals j1, j2, ... (as 32 hex digits).
func storeIDs() FileStoreOption {
	n := 0
	return func(c *fileStoreConfig) {
		c.newID = func() string { n++; return fmt.Sprintf("%032x", n) }
	}
}

func storeJournal(dir, pair string) string  { return filepath.Join(dir, escapePair(pair)+".journal") }
func storeSnapshot(dir, pair string) string { return filepath.Join(dir, escapePair(pair)+".json") }
func storeMark(dir, pair string) string     { return filepath.Join(dir, escapePair(pair)+".mark") }

func storeRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func storeWriteFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// storeCompact forces a compaction of pair a->b of s.
func storeCompact(t testing.TB, s *FileStore) {
	t.Helper()
	p := s.pair(storePair)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.ensureLoaded(); err != nil {
		t.Fatal(err)
	}
	if err := p.compact(); err != nil {
		t.Fatal(err)
	}
}

func TestFileStoreReopenPreservesEverything(t *testing.T) {
	for _, every := range []int{1, 3, 1024} {
		t.Run(fmt.Sprint("compact-after-", every), func(t *testing.T) {
			dir := t.TempDir()
			want := NewMemoryStore()
			fs := storeOpenFile(t, dir, FileStoreCompactAfter(every))
			storeWorkload(t, 0, 150, fs, want)
			wantState := storeDump(t, want, storePair)
			storeDiff(t, "open store", wantState, storeDump(t, fs, storePair))
			fs.Close()
			storeDiff(t, "reopened store", wantState, storeDump(t, storeOpenFile(t, dir), storePair))
		})
	}
}

// The files stay bounded: compaction drops the replaced entries and the
// retention drops old runs.
func TestFileStoreStaysBounded(t *testing.T) {
	dir := t.TempDir()
	s := storeOpenFile(t, dir, FileStoreCompactAfter(8), FileStoreKeepRuns(3))
	ctx := context.Background()
	var sizes []int64
	for i := 0; i < 400; i++ {
		if err := s.AddRun(ctx, storePair, RunRecord{ID: fmt.Sprint("run-", i), StartedAt: storeT0}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutLink(ctx, storePair, storeLink(Users, "a1", fmt.Sprint("b", i))); err != nil {
			t.Fatal(err)
		}
		if i%100 == 99 {
			var total int64
			for _, p := range []string{storeSnapshot(dir, storePair), storeJournal(dir, storePair)} {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				total += fi.Size()
			}
			sizes = append(sizes, total)
		}
	}
	for i, n := range sizes {
		if n > 8<<10 {
			t.Errorf("after %d runs the snapshot and journal take %d bytes; want them bounded (sizes %v)", (i+1)*100, n, sizes)
		}
	}
	runs, _ := storeOpenFile(t, dir, FileStoreKeepRuns(3)).Runs(ctx, storePair)
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"run-397", "run-398", "run-399"}, ids); diff != "" {
		t.Errorf("runs kept (-want +got):\n%s", diff)
	}
}

func TestFileStoreExclLockStaleness(t *testing.T) {
	dir := t.TempDir()
	now := storeT0
	clock := func() time.Time { return now }
	l := exclLocker{staleAge: time.Hour, now: clock}
	path := filepath.Join(dir, "p.lock")
	if _, err := l.acquire(path); err != nil { // the holder dies without releasing
		t.Fatal(err)
	}
	_, err := l.acquire(path)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("held by pid %d", os.Getpid())) {
		t.Fatalf("acquire of a held lock: err = %v, want ErrLocked naming the holder", err)
	}
	now = now.Add(2 * time.Hour)
	release, err := l.acquire(path)
	if err != nil {
		t.Fatalf("acquire of a stale lock: %v", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	noStale := exclLocker{now: clock}
	if _, err := noStale.acquire(path); err != nil {
		t.Fatal(err)
	}
	now = now.Add(1000 * time.Hour)
	if _, err := noStale.acquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("without a stale age a lock file never expires: err = %v", err)
	}
	if err := noStale.force(path); err != nil {
		t.Fatal(err)
	}
	if _, err := noStale.acquire(path); err != nil {
		t.Errorf("acquire after force: %v", err)
	}
}

func TestFileStoreForceUnlock(t *testing.T) {
	for _, excl := range []bool{false, true} {
		t.Run(fmt.Sprint("excl=", excl), func(t *testing.T) {
			var opts []FileStoreOption
			if excl {
				opts = append(opts, storeExclLocker())
			}
			s := storeOpenFile(t, t.TempDir(), opts...)
			ctx := context.Background()
			if _, err := s.Lock(ctx, storePair); err != nil { // never unlocked
				t.Fatal(err)
			}
			err := s.ForceUnlock(storePair)
			if excl {
				if err != nil {
					t.Fatalf("ForceUnlock: %v", err)
				}
				if _, err := s.Lock(ctx, storePair); err != nil {
					t.Errorf("Lock after ForceUnlock: %v", err)
				}
			} else if !errors.Is(err, ErrLocked) {
				t.Errorf("ForceUnlock of a live flock: err = %v, want ErrLocked", err)
			}
		})
	}
}

func TestFileStorePairNamesAndModes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	pairs := []string{"BambooHR->Litmos", "a/b", "..", ".hidden", "%41", "ünï", "x.json", "y.journal", "z.mark", "a b"}
	s := storeOpenFile(t, dir)
	for i, p := range pairs {
		if err := s.PutLink(ctx, p, storeLink(Users, fmt.Sprint("a", i), "b")); err != nil {
			t.Fatalf("PutLink(%q): %v", p, err)
		}
	}
	if err := s.PutLink(ctx, strings.Repeat("p", maxPairName+1), storeLink(Users, "a", "b")); err == nil {
		t.Error("a pair name too long for a file name was accepted")
	}
	s.Close()
	storeWriteFile(t, filepath.Join(dir, "README.txt"), []byte("notes"))
	again := storeOpenFile(t, dir)
	for i, p := range pairs {
		links, err := again.Links(ctx, p, Users)
		if err != nil || len(links) != 1 || links[0].AID != fmt.Sprint("a", i) {
			t.Errorf("pair %q after reopen: %v, %v", p, links, err)
		}
	}
	if got := escapePair("BambooHR->Litmos"); got != "%42amboo%48%52-%3E%4Citmos" {
		t.Errorf("escapePair = %q: the escaping is part of the format", got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() == "README.txt" {
			continue
		}
		if ext := filepath.Ext(e.Name()); ext != ".json" && ext != ".journal" && ext != ".mark" {
			t.Errorf("unexpected file %s", e.Name())
		}
		if fi, _ := e.Info(); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
}

func TestOpenFileStoreOnAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	storeWriteFile(t, path, []byte("{}"))
	if _, err := OpenFileStore(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("OpenFileStore on a regular file: err = %v, want one naming it", err)
	}
}

func TestOpenFileStoreRefusesUnknownPairFile(t *testing.T) {
	dir := t.TempDir()
	storeWriteFile(t, filepath.Join(dir, "Notes.json"), []byte("{}"))
	_, err := OpenFileStore(dir)
	if !errors.Is(err, ErrStateCorrupt) || !strings.Contains(err.Error(), "Notes.json") {
		t.Errorf("a .json file that is no pair's: err = %v, want ErrStateCorrupt naming it", err)
	}
}
