package syncengine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// storeDamaged writes 27 links to a->b and 3 to x->y in dir, then cuts
// a->b's journal to 2,000 bytes: 12 links readable.
func storeDamaged(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	storeLinks(t, dir, 27, false)
	s := storeOpenFile(t, dir)
	for _, id := range []string{"x1", "x2", "x3"} {
		if err := s.PutLink(context.Background(), "x->y", storeLink(Users, id, "y")); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	b := storeRead(t, storeJournal(dir, storePair))
	storeWriteFile(t, storeJournal(dir, storePair), b[:2000])
	return map[string][]byte{"a-%3Eb.journal": b[:2000], "a-%3Eb.mark": storeRead(t, storeMark(dir, storePair))}
}

func TestRepairFileStoreDryRun(t *testing.T) {
	dir := t.TempDir()
	storeDamaged(t, dir)
	r, err := RepairFileStore(dir, storePair, RepairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(r.Damage, ErrStateCorrupt) || !strings.Contains(r.Damage.Error(), "a-%3Eb.journal") {
		t.Errorf("Damage = %v, want the load error naming the journal", r.Damage)
	}
	mark, _ := os.Stat(storeMark(dir, storePair))
	wantFiles := []RepairFile{{"a-%3Eb.journal", 2000}, {"a-%3Eb.mark", mark.Size()}}
	if diff := cmp.Diff(wantFiles, r.Files); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(StateCounts{Links: map[Collection]int{Users: 9}}, r.Readable); diff != "" {
		t.Errorf("Readable (-want +got):\n%s", diff)
	}
	if r.Moved || !strings.HasPrefix(filepath.Base(r.Aside), "damaged-a-%3Eb-") {
		t.Errorf("a dry run: Moved %v, Aside %q", r.Moved, r.Aside)
	}
	if _, err := os.Stat(r.Aside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run made %s: %v", r.Aside, err)
	}
	if _, err := OpenFileStore(dir); !errors.Is(err, ErrStateCorrupt) {
		t.Errorf("after a dry run the store opens: %v", err)
	}
	text := r.String()
	for _, want := range []string{`Pair "a->b"`, "is damaged", "9 links (users 9)", "Would move these files to " + r.Aside,
		"a-%3Eb.journal (2000 bytes)", "links records again by their match keys", "reports each field that differs as a conflict"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestRepairFileStoreMovesFilesAside(t *testing.T) {
	dir := t.TempDir()
	files := storeDamaged(t, dir)
	other := storeDump(t, storeOpenFileQuiet(t, dir, "x->y"), "x->y")
	r, err := RepairFileStore(dir, storePair, RepairOptions{Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Moved || !strings.Contains(r.String(), "Moved these files to "+r.Aside) {
		t.Fatalf("not moved: %+v\n%s", r, r)
	}
	for name, b := range files {
		if got := storeRead(t, filepath.Join(r.Aside, name)); !bytes.Equal(got, b) {
			t.Errorf("%s moved aside differs from the damaged file", name)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still in the store: %v", name, err)
		}
	}
	s := storeOpenFile(t, dir)
	storeDiff(t, "the repaired pair starts afresh", storeState{}, storeDump(t, s, storePair))
	storeDiff(t, "the other pair is untouched", other, storeDump(t, s, "x->y"))
	if err := s.PutLink(context.Background(), storePair, storeLink(Users, "rebuilt", "b")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if links, _ := storeOpenFile(t, dir).Links(context.Background(), storePair, Users); len(links) != 1 {
		t.Errorf("after a repair and a write: %v", links)
	}
}

// storeOpenFileQuiet reads one pair of a store whose other pairs are damaged.
func storeOpenFileQuiet(t *testing.T, dir, pair string) Store {
	t.Helper()
	cfg := newFileStoreConfig(nil)
	p := &filePair{name: pair, base: filepath.Join(dir, escapePair(pair)), cfg: &cfg}
	if err := p.load(); err != nil {
		t.Fatal(err)
	}
	m := NewMemoryStore()
	m.pairs[pair] = p.state
	return m
}

func TestRepairFileStoreIntactPair(t *testing.T) {
	dir := t.TempDir()
	storeLinks(t, dir, 3, false)
	r, err := RepairFileStore(dir, storePair, RepairOptions{Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Damage != nil || r.Moved || !strings.Contains(r.String(), "is intact") {
		t.Errorf("an intact pair without Force: %+v\n%s", r, r)
	}
	if links, _ := storeOpenFile(t, dir).Links(context.Background(), storePair, Users); len(links) != 3 {
		t.Errorf("an intact pair lost links: %v", links)
	}
	r, err = RepairFileStore(dir, storePair, RepairOptions{Apply: true, Force: true})
	if err != nil || !r.Moved {
		t.Fatalf("Force: %+v, %v", r, err)
	}
	if links, _ := storeOpenFile(t, dir).Links(context.Background(), storePair, Users); len(links) != 0 {
		t.Errorf("after a forced fresh start: %v", links)
	}
	r, err = RepairFileStore(dir, storePair, RepairOptions{Apply: true, Force: true})
	if err != nil || r.Moved || len(r.Files) != 0 || !strings.Contains(r.String(), "has no files") {
		t.Errorf("a pair with no files: %+v, %v", r, err)
	}
}

func TestRepairFileStoreRefuses(t *testing.T) {
	dir := t.TempDir()
	storeDamaged(t, dir)
	cfg := newFileStoreConfig(nil)
	release, err := cfg.locker.acquire(filepath.Join(dir, escapePair(storePair)+".lock"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RepairFileStore(dir, storePair, RepairOptions{Apply: true}); !errors.Is(err, ErrLocked) {
		t.Errorf("repair while a sync holds the pair: err = %v, want ErrLocked", err)
	}
	release()
	for _, tc := range []struct{ dir, pair string }{
		{dir, ""}, {dir, strings.Repeat("p", maxPairName+1)}, {filepath.Join(dir, "nope"), storePair},
	} {
		if _, err := RepairFileStore(tc.dir, tc.pair, RepairOptions{}); err == nil {
			t.Errorf("RepairFileStore(%q, %q): no error", tc.dir, tc.pair)
		}
	}
}

func TestAsideDirIsNew(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	first := asideDir(dir, "a-%3Eb", now)
	if filepath.Base(first) != "damaged-a-%3Eb-20260301T090000Z" {
		t.Errorf("aside dir %s", first)
	}
	if err := os.Mkdir(first, 0o700); err != nil {
		t.Fatal(err)
	}
	if second := asideDir(dir, "a-%3Eb", now); second != first+"-2" {
		t.Errorf("second aside dir in the same second: %s", second)
	}
}
