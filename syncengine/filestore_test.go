package syncengine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// storeState is everything a store holds for one pair, for comparisons.
type storeState struct {
	Links   map[Collection][]Link
	Cursors map[string]string
	Runs    []RunRecord
}

func storeDump(t *testing.T, s Store, pair string, cursors ...string) storeState {
	t.Helper()
	ctx := context.Background()
	st := storeState{Links: map[Collection][]Link{}, Cursors: map[string]string{}}
	for _, c := range []Collection{Users, Teams, Enrollments} {
		links, err := s.Links(ctx, pair, c)
		if err != nil {
			t.Fatalf("Links: %v", err)
		}
		sortLinks(links)
		st.Links[c] = links
	}
	for _, name := range cursors {
		v, err := s.Cursor(ctx, pair, name)
		if err != nil {
			t.Fatalf("Cursor: %v", err)
		}
		st.Cursors[name] = v
	}
	runs, err := s.Runs(ctx, pair)
	if err != nil {
		t.Fatalf("Runs: %v", err)
	}
	st.Runs = runs
	return st
}

// storeWorkload applies the same mixed writes to every store given.
func storeWorkload(t *testing.T, n int, stores ...Store) {
	t.Helper()
	ctx := context.Background()
	colls := []Collection{Users, Teams, Enrollments}
	for i := 0; i < n; i++ {
		for _, s := range stores {
			var err error
			switch i % 5 {
			case 0, 1:
				l := storeLink(colls[i%3], fmt.Sprint("a", i%17), fmt.Sprint("b", i))
				err = s.PutLink(ctx, "a->b", l)
			case 2:
				err = s.DeleteLink(ctx, "a->b", colls[i%3], fmt.Sprint("a", (i*7)%17))
			case 3:
				err = s.PutCursor(ctx, "a->b", fmt.Sprint("c", i%3), fmt.Sprint("v", i))
			default:
				err = s.AddRun(ctx, "a->b", RunRecord{ID: fmt.Sprint("r", i), StartedAt: storeT0.Add(time.Duration(i) * time.Minute),
					Counts: map[string]int{"update": i}})
			}
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
	}
}

func TestFileStoreReopenPreservesEverything(t *testing.T) {
	for _, every := range []int{1, 3, 1024} {
		t.Run(fmt.Sprint("compact-after-", every), func(t *testing.T) {
			dir := t.TempDir()
			want := NewMemoryStore()
			fs := storeOpenFile(t, dir, FileStoreCompactAfter(every))
			storeWorkload(t, 120, fs, want)
			wantState := storeDump(t, want, "a->b", "c0", "c1", "c2")
			if diff := cmp.Diff(wantState, storeDump(t, fs, "a->b", "c0", "c1", "c2")); diff != "" {
				t.Errorf("open store (-want +got):\n%s", diff)
			}
			fs.Close()
			again := storeOpenFile(t, dir)
			if diff := cmp.Diff(wantState, storeDump(t, again, "a->b", "c0", "c1", "c2")); diff != "" {
				t.Errorf("reopened store (-want +got):\n%s", diff)
			}
		})
	}
}

func storeJournal(dir, pair string) string  { return filepath.Join(dir, escapePair(pair)+".journal") }
func storeSnapshot(dir, pair string) string { return filepath.Join(dir, escapePair(pair)+".json") }

// storeFiveLinks writes links a0..a4 without compaction and closes the store.
func storeFiveLinks(t *testing.T, dir string) {
	t.Helper()
	s := storeOpenFile(t, dir)
	for i := 0; i < 5; i++ {
		if err := s.PutLink(context.Background(), "a->b", storeLink(Users, fmt.Sprint("a", i), "b")); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
}

func storeIDs(t *testing.T, s Store) []string {
	t.Helper()
	links, err := s.Links(context.Background(), "a->b", Users)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range links {
		ids = append(ids, l.AID)
	}
	sort.Strings(ids)
	return ids
}

func TestFileStoreDropsTornLastLine(t *testing.T) {
	tests := []struct {
		name   string
		damage func(b []byte) []byte
		want   []string
	}{
		{"cut mid-line", func(b []byte) []byte { return b[:len(b)-20] }, []string{"a0", "a1", "a2", "a3"}},
		{"cut before newline", func(b []byte) []byte { return b[:len(b)-1] }, []string{"a0", "a1", "a2", "a3"}},
		{"only checksum written", func(b []byte) []byte { return append(b, "1234abcd"...) }, []string{"a0", "a1", "a2", "a3", "a4"}},
		{"zeros appended", func(b []byte) []byte { return append(b, make([]byte, 300)...) }, []string{"a0", "a1", "a2", "a3", "a4"}},
		{"last line garbled", func(b []byte) []byte {
			b = bytes.Clone(b)
			b[len(b)-5] ^= 0x20
			return b
		}, []string{"a0", "a1", "a2", "a3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			storeFiveLinks(t, dir)
			path := storeJournal(dir, "a->b")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			s := storeOpenFile(t, dir)
			if diff := cmp.Diff(tt.want, storeIDs(t, s)); diff != "" {
				t.Errorf("after torn tail (-want +got):\n%s", diff)
			}
			if err := s.PutLink(context.Background(), "a->b", storeLink(Users, "a9", "b")); err != nil {
				t.Fatal(err)
			}
			s.Close()
			again := storeOpenFile(t, dir)
			if diff := cmp.Diff(append(tt.want, "a9"), storeIDs(t, again)); diff != "" {
				t.Errorf("after a write past the torn tail and reopen (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileStoreRefusesCorruptFiles(t *testing.T) {
	journalLines := func(dir string) [][]byte {
		b, _ := os.ReadFile(storeJournal(dir, "a->b"))
		return bytes.SplitAfter(b, []byte("\n"))
	}
	writeLines := func(t *testing.T, dir string, lines [][]byte) {
		if err := os.WriteFile(storeJournal(dir, "a->b"), bytes.Join(lines, nil), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string)
		file    string // "journal" or "snapshot"
		wantMsg string
	}{
		{"bad checksum mid-journal", func(t *testing.T, dir string) {
			lines := journalLines(dir)
			lines[2][20] ^= 0x01
			writeLines(t, dir, lines)
		}, "journal", "line 3 (offset"},
		{"garbage line mid-journal", func(t *testing.T, dir string) {
			lines := journalLines(dir)
			lines = append(lines[:2], append([][]byte{[]byte("hello\n")}, lines[2:]...)...)
			writeLines(t, dir, lines)
		}, "journal", "line 3 (offset"},
		{"missing line", func(t *testing.T, dir string) {
			lines := journalLines(dir)
			writeLines(t, dir, append(lines[:2], lines[3:]...))
		}, "journal", "sequence jumps from 1 to 3"},
		{"journal of another pair", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(storeJournal(dir, "a->b"))
			os.WriteFile(storeJournal(dir, "x->y"), b, 0o600)
		}, "x-%3Ey.journal", `journal is for pair "a->b"`},
		{"journal version", func(t *testing.T, dir string) {
			lines := journalLines(dir)
			h := headerEntry("a->b")
			h.Version = 2
			lines[0], _ = encodeLine(h)
			writeLines(t, dir, lines)
		}, "journal", "version 2"},
		{"snapshot unparsable", func(t *testing.T, dir string) {
			storeCompact(t, dir)
			b, _ := os.ReadFile(storeSnapshot(dir, "a->b"))
			os.WriteFile(storeSnapshot(dir, "a->b"), b[:len(b)/2], 0o600)
		}, "snapshot", "unparsable snapshot"},
		{"snapshot version", func(t *testing.T, dir string) {
			storeCompact(t, dir)
			storeEditFile(t, storeSnapshot(dir, "a->b"), `"version":1`, `"version":7`)
		}, "snapshot", "version 7"},
		{"snapshot data changed", func(t *testing.T, dir string) {
			storeCompact(t, dir)
			storeEditFile(t, storeSnapshot(dir, "a->b"), `"b_id":"b"`, `"b_id":"c"`)
		}, "snapshot", "snapshot checksum mismatch"},
		{"snapshot lost", func(t *testing.T, dir string) {
			storeCompact(t, dir)
			s := storeOpenFile(t, dir)
			s.PutLink(context.Background(), "a->b", storeLink(Users, "a7", "b"))
			s.Close()
			os.Remove(storeSnapshot(dir, "a->b"))
		}, "journal", "sequence jumps from 0 to 6"},
		{"empty snapshot", func(t *testing.T, dir string) {
			os.WriteFile(storeSnapshot(dir, "a->b"), nil, 0o600)
		}, "snapshot", "unparsable snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			storeFiveLinks(t, dir)
			tt.damage(t, dir)
			_, err := OpenFileStore(dir)
			if !errors.Is(err, ErrStateCorrupt) {
				t.Fatalf("OpenFileStore: err = %v, want ErrStateCorrupt", err)
			}
			file := map[string]string{"journal": "a-%3Eb.journal", "snapshot": "a-%3Eb.json"}[tt.file]
			if file == "" {
				file = tt.file
			}
			for _, want := range []string{file, tt.wantMsg} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// storeCompact forces a compaction of pair a->b in dir.
func storeCompact(t *testing.T, dir string) {
	t.Helper()
	s := storeOpenFile(t, dir)
	p := s.pair("a->b")
	p.mu.Lock()
	err := p.compact()
	p.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func storeEditFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %s (%v)", path, old, err)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFileStoreCrashDuringCompaction(t *testing.T) {
	dir := t.TempDir()
	want := NewMemoryStore()
	s := storeOpenFile(t, dir)
	storeWorkload(t, 20, s, want)
	oldJournal, err := os.ReadFile(storeJournal(dir, "a->b"))
	if err != nil {
		t.Fatal(err)
	}
	// A crash after the snapshot's rename, before the journal's reset:
	// the old journal stays, every entry covered by the snapshot.
	p := s.pair("a->b")
	p.mu.Lock()
	err = p.compact()
	p.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.WriteFile(storeJournal(dir, "a->b"), oldJournal, 0o600); err != nil {
		t.Fatal(err)
	}
	// Crashes between a temp file's write and its rename leave temp files:
	// garbage, and a plausible snapshot that must not be read.
	stem := escapePair("a->b")
	temps := map[string][]byte{
		"." + stem + ".json.tmp-1":    []byte("garbage"),
		"." + stem + ".journal.tmp-2": []byte("1234abcd {\"seq\":99"),
		"." + stem + ".json.tmp-3":    storeSnapshotBytes(t),
	}
	for name, b := range temps {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	again := storeOpenFile(t, dir)
	cursors := []string{"c0", "c1", "c2"}
	if diff := cmp.Diff(storeDump(t, want, "a->b", cursors...), storeDump(t, again, "a->b", cursors...)); diff != "" {
		t.Errorf("after crash (-want +got):\n%s", diff)
	}
	storeWorkload(t, 7, again, want)
	unlock, err := again.Lock(context.Background(), "a->b")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for name := range temps {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("temp file %s not removed by Lock: %v", name, err)
		}
	}
	again.Close()
	last := storeOpenFile(t, dir)
	if diff := cmp.Diff(storeDump(t, want, "a->b", cursors...), storeDump(t, last, "a->b", cursors...)); diff != "" {
		t.Errorf("after writes past the crash and reopen (-want +got):\n%s", diff)
	}
}

// storeSnapshotBytes returns a valid snapshot for a->b holding one stray link.
func storeSnapshotBytes(t *testing.T) []byte {
	st := newPairState()
	st.putLink(storeLink(Users, "stray", "b"))
	b, err := encodeSnapshot("a->b", 1000, st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFileStoreLockRereadsFiles(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, b := storeOpenFile(t, dir), storeOpenFile(t, dir)
	if _, err := b.Links(ctx, "a->b", Users); err != nil { // b caches the pair, empty
		t.Fatal(err)
	}
	unlock, err := a.Lock(ctx, "a->b")
	if err != nil {
		t.Fatal(err)
	}
	storeWorkload(t, 30, a)
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	unlock, err = b.Lock(ctx, "a->b")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	cursors := []string{"c0", "c1", "c2"}
	if diff := cmp.Diff(storeDump(t, a, "a->b", cursors...), storeDump(t, b, "a->b", cursors...)); diff != "" {
		t.Errorf("second instance after Lock (-first +second):\n%s", diff)
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
			dir := t.TempDir()
			s := storeOpenFile(t, dir, opts...)
			ctx := context.Background()
			if _, err := s.Lock(ctx, "a->b"); err != nil { // never unlocked
				t.Fatal(err)
			}
			err := s.ForceUnlock("a->b")
			if excl {
				if err != nil {
					t.Fatalf("ForceUnlock: %v", err)
				}
				if _, err := s.Lock(ctx, "a->b"); err != nil {
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
	pairs := []string{"BambooHR->Litmos", "a/b", "..", ".hidden", "%41", "ünï", "x.json", "y.journal"}
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
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	again := storeOpenFile(t, dir)
	for i, p := range pairs {
		links, err := again.Links(ctx, p, Users)
		if err != nil || len(links) != 1 || links[0].AID != fmt.Sprint("a", i) {
			t.Errorf("pair %q after reopen: %v, %v", p, links, err)
		}
	}
	if runtime.GOOS == "windows" {
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		if e.Name() != "README.txt" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
}

func TestOpenFileStoreOnAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFileStore(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("OpenFileStore on a regular file: err = %v, want one naming it", err)
	}
}
