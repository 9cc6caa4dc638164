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
)

// testdata/filestore-v1 was written by the version 1 code (git show
// 4c20bc6:syncengine/filestore.go): bamboohr->litmos compacted after its
// fourth write (FileStoreCompactAfter(4)) then written four more times,
// talenthr<->talentlms compacted with nothing after, hibob->learnamp never
// compacted.
const v1Fixture = "testdata/filestore-v1"

func copyV1Fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(v1Fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		storeWriteFile(t, filepath.Join(dir, e.Name()), storeRead(t, filepath.Join(v1Fixture, e.Name())))
	}
	return dir
}

var v1T0 = time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)

func v1Link(c Collection, a, b string, synced map[string]string) Link {
	return Link{Collection: c, AID: a, BID: b, Synced: synced, UpdatedAt: v1T0}
}

// v1Want is what the fixture holds, pair by pair.
func v1Want() map[string]storeState {
	return map[string]storeState{
		"bamboohr->litmos": {
			Links: map[Collection][]Link{Users: {v1Link(Users, "40", "u-ana", nil), v1Link(Users, "42", "u-cy", nil), v1Link(Users, "43", "u-dee", nil)},
				Teams: {v1Link(Teams, "eng", "t-eng", nil)}},
			Cursors: map[string]string{"users": "2026-02-01T08:00:00Z"},
			Runs: []RunRecord{{ID: "run-1", StartedAt: v1T0, FinishedAt: v1T0.Add(time.Minute),
				Counts: map[string]int{"create": 4, "error": 1}, Err: "1 change failed"}},
		},
		"talenthr<->talentlms": {
			Links: map[Collection][]Link{Users: {
				v1Link(Users, "7", "lms-7", map[string]string{"b.email": "ana@example.com", "a.first_name": "Ana", "b.@active": "true"}),
				v1Link(Users, "8", "lms-8", map[string]string{"b.email": "ben@example.com"})}},
			Cursors: map[string]string{"lms": "c-1"},
			Runs:    []RunRecord{{ID: "run-a", StartedAt: v1T0, FinishedAt: v1T0.Add(2 * time.Second), DryRun: true}},
		},
		"hibob->learnamp": {
			Links:   map[Collection][]Link{Users: {v1Link(Users, "h1", "la-1", nil)}, Teams: {v1Link(Teams, "sales", "la-t1", nil)}},
			Cursors: map[string]string{"users": "x"},
		},
	}
}

// v1Dump reads a pair with the cursor names the fixture uses.
func v1Dump(t *testing.T, s Store, pair string) storeState {
	t.Helper()
	old := storeCursors
	storeCursors = []string{"users", "lms"}
	defer func() { storeCursors = old }()
	return storeDump(t, s, pair)
}

func TestFileStoreReadsVersion1(t *testing.T) {
	dir := copyV1Fixture(t)
	s := storeOpenFile(t, dir)
	for pair, want := range v1Want() {
		storeDiff(t, pair, want, v1Dump(t, s, pair))
	}
	s.Close()
	// Reading changes nothing: a build that reads only version 1 still can.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !bytes.Equal(storeRead(t, filepath.Join(dir, e.Name())), storeRead(t, filepath.Join(v1Fixture, e.Name()))) {
			t.Errorf("%s changed by reading it", e.Name())
		}
	}
	if len(entries) != 5 {
		t.Errorf("%d files after reading, want the fixture's 5", len(entries))
	}
}

// The first write to a version 1 pair compacts it into version 2 files;
// the other pairs stay as they are until they are written.
func TestFileStoreUpgradesVersion1(t *testing.T) {
	dir := copyV1Fixture(t)
	s := storeOpenFile(t, dir)
	const pair = "bamboohr->litmos"
	added := v1Link(Users, "44", "u-eve", map[string]string{"b.email": "eve@example.com"})
	if err := s.PutLink(context.Background(), pair, added); err != nil {
		t.Fatal(err)
	}
	s.Close()
	want := v1Want()
	w := want[pair]
	w.Links[Users] = append(w.Links[Users], added)
	base := filepath.Join(dir, escapePair(pair))
	for path, prefix := range map[string]string{base + ".json": `{"format":"rostersync-state","version":2,`,
		base + ".journal": `"op":"header","format":"rostersync-journal","version":2,`} {
		if !bytes.Contains(storeRead(t, path), []byte(prefix)) {
			t.Errorf("%s is not version 2:\n%s", path, storeRead(t, path))
		}
	}
	if _, err := os.Stat(base + ".mark"); err != nil {
		t.Errorf("no mark after the upgrade: %v", err)
	}
	for _, name := range []string{"hibob-%3Elearnamp.journal", "talenthr%3C-%3Etalentlms.json"} {
		if !bytes.Equal(storeRead(t, filepath.Join(dir, name)), storeRead(t, filepath.Join(v1Fixture, name))) {
			t.Errorf("%s of a pair not written was rewritten", name)
		}
	}
	again := storeOpenFile(t, dir)
	for p, st := range want {
		storeDiff(t, p+" after the upgrade", st, v1Dump(t, again, p))
	}
}

// A crash inside the compaction that upgrades a pair loses nothing.
func TestFileStoreUpgradeCrash(t *testing.T) {
	const pair = "bamboohr->litmos"
	dir := copyV1Fixture(t)
	base := filepath.Join(dir, escapePair(pair))
	oldJournal := storeRead(t, base+".journal")
	s := storeOpenFile(t, dir)
	p := s.pair(pair)
	p.mu.Lock()
	err := p.compact()
	p.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	newJournal := storeRead(t, base+".journal")
	for name, files := range map[string]func(){
		"snapshot renamed": func() { storeWriteFile(t, base+".journal", oldJournal); os.Remove(base + ".mark") },
		"journal renamed":  func() { storeWriteFile(t, base+".journal", newJournal); os.Remove(base + ".mark") },
	} {
		t.Run(name, func(t *testing.T) {
			files()
			s := storeOpenFile(t, dir)
			storeDiff(t, name, v1Want()[pair], v1Dump(t, s, pair))
			if err := s.PutCursor(context.Background(), pair, "lms", "after"); err != nil {
				t.Fatal(err)
			}
			s.Close()
			if c, _ := storeOpenFile(t, dir).Cursor(context.Background(), pair, "lms"); c != "after" {
				t.Errorf("write after the crash lost: cursor %q", c)
			}
		})
	}
}

func TestFileStoreVersion1Damage(t *testing.T) {
	const pair = "hibob->learnamp"
	tests := []struct {
		name   string
		damage func(t *testing.T, base string)
		want   string // "" loads
	}{
		{"torn last line is dropped", func(t *testing.T, base string) {
			b := storeRead(t, base+".journal")
			storeWriteFile(t, base+".journal", b[:len(b)-5])
		}, ""},
		{"line written twice", func(t *testing.T, base string) {
			lines := storeLines(storeRead(t, base+".journal"))
			lines = append(lines[:2], append([][]byte{lines[1]}, lines[2:]...)...)
			storeWriteFile(t, base+".journal", bytes.Join(lines, nil))
		}, "seq 1 follows seq 1"},
		{"bad checksum mid-journal", func(t *testing.T, base string) {
			b := storeRead(t, base+".journal")
			b[len(storeLines(b)[0])+20] ^= 1
			storeWriteFile(t, base+".journal", b)
		}, "line 2 (offset"},
		{"line missing", func(t *testing.T, base string) {
			lines := storeLines(storeRead(t, base+".journal"))
			storeWriteFile(t, base+".journal", bytes.Join(append(lines[:1], lines[2:]...), nil))
		}, "sequence jumps from 0 to 2"},
		{"a mark beside it", func(t *testing.T, base string) {
			other := storeOther(t, pair, 1)
			storeWriteFile(t, base+".mark", storeRead(t, storeMark(other, pair)))
		}, "a version 1 journal beside the mark"},
		{"journal missing beside its snapshot", func(t *testing.T, base string) {
			os.Remove(filepath.Join(filepath.Dir(base), "talenthr%3C-%3Etalentlms.journal"))
		}, "missing, but the snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyV1Fixture(t)
			tt.damage(t, filepath.Join(dir, escapePair(pair)))
			_, err := OpenFileStore(dir)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("OpenFileStore: %v", err)
			case tt.want != "" && (!errors.Is(err, ErrStateCorrupt) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("OpenFileStore: err = %v, want ErrStateCorrupt saying %q", err, tt.want)
			}
		})
	}
}

// The HEAD~1 build wrote version 1 files with due times, pending records
// and lookups (the lookup key as "name"); they read too.
func TestFileStoreReadsVersion1WithNewerOps(t *testing.T) {
	dir := t.TempDir()
	var b []byte
	for _, body := range []string{
		`{"seq":0,"op":"header","format":"rostersync-journal","version":1,"pair":"a-\u003eb"}`,
		`{"seq":1,"op":"put_due","due":{"collection":"users","side":"a","id":"1","kind":"deactivate","at":"2026-03-01T09:00:00Z"}}`,
		`{"seq":2,"op":"add_pending","pending":[{"collection":"users","side":"b","id":"2","seq":1,"at":"2026-03-01T09:00:00Z"}]}`,
		`{"seq":3,"op":"put_lookup","name":"k0","lookup":{"value":"dg==","at":"2026-03-01T09:00:00Z"}}`,
	} {
		b = append(b, crc32c([]byte(body))+" "+body+"\n"...)
	}
	storeWriteFile(t, storeJournal(dir, storePair), b)
	got := storeDump(t, storeOpenFile(t, dir), storePair)
	want := storeState{
		Dues:    []Due{{Collection: Users, Side: SideA, ID: "1", Kind: "deactivate", At: storeT0}},
		Pending: []Pending{{Collection: Users, Side: SideB, ID: "2", Seq: 1, At: storeT0}},
		Lookups: map[string]Lookup{"k0": {Value: []byte("v"), At: storeT0}},
	}
	storeDiff(t, "version 1 journal of the build that added due times", want, got)
}
