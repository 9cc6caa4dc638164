package syncengine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// storeFiles is the content of a pair's files; nil: absent.
type storeFiles struct{ snapshot, journal, mark []byte }

func storeGrab(t testing.TB, dir string) storeFiles {
	t.Helper()
	var f storeFiles
	for path, dst := range map[string]*[]byte{storeSnapshot(dir, storePair): &f.snapshot,
		storeJournal(dir, storePair): &f.journal, storeMark(dir, storePair): &f.mark} {
		if b, err := os.ReadFile(path); err == nil {
			*dst = b
		}
	}
	return f
}

// storePlace writes f as the pair's files in a new directory.
func storePlace(t *testing.T, f storeFiles) string {
	t.Helper()
	dir := t.TempDir()
	for path, b := range map[string][]byte{storeSnapshot(dir, storePair): f.snapshot,
		storeJournal(dir, storePair): f.journal, storeMark(dir, storePair): f.mark} {
		if b != nil {
			storeWriteFile(t, path, b)
		}
	}
	return dir
}

// storeRecovers opens f and checks it holds want; with write, it writes
// once more and checks that the write survives a reopen. (Writes fsync:
// the every-byte loops write at some bytes only.)
func storeRecovers(t *testing.T, what string, f storeFiles, want storeState, write bool) {
	t.Helper()
	dir := storePlace(t, f)
	s, err := OpenFileStore(dir)
	if err != nil {
		t.Fatalf("%s: OpenFileStore: %v", what, err)
	}
	defer s.Close()
	storeDiff(t, what, want, storeDump(t, s, storePair))
	if !write {
		return
	}
	if err := s.PutLink(context.Background(), storePair, storeLink(Users, "after-crash", "b")); err != nil {
		t.Fatalf("%s: write after recovery: %v", what, err)
	}
	s.Close()
	again := storeOpenFile(t, dir)
	links, _ := again.Links(context.Background(), storePair, Users)
	if !slices.ContainsFunc(links, func(l Link) bool { return l.AID == "after-crash" }) {
		t.Fatalf("%s: the write after recovery is lost: %v", what, links)
	}
}

func withBytes(b []byte, off int, patch []byte) []byte {
	out := append([]byte(nil), b...)
	if len(out) < off+len(patch) {
		out = append(out, make([]byte, off+len(patch)-len(out))...)
	}
	copy(out[off:], patch)
	return out
}

// A process killed at any byte of a write comes back with the state
// before the write or after it: never less, never an error.
func TestFileStoreCrashAtEveryByteOfAWrite(t *testing.T) {
	for _, before := range []int{0, 10} {
		t.Run(fmt.Sprintf("after-%d-writes", before), func(t *testing.T) {
			dir := t.TempDir()
			s := storeOpenFile(t, dir, storeIDs())
			mem := NewMemoryStore()
			storeWorkload(t, 0, before, s, mem)
			old, oldState := storeGrab(t, dir), storeDump(t, mem, storePair)
			storeWorkload(t, before, before+1, s, mem)
			s.Close()
			now, newState := storeGrab(t, dir), storeDump(t, mem, storePair)
			if before == 0 { // the journal and the mark as prepared for the first append
				head := storeLines(now.journal)[0]
				old.journal, old.mark = head, withBytes(now.mark, 0, make([]byte, markSlotSize))
				storeRecovers(t, "bare journal, no mark", storeFiles{journal: head}, oldState, true)
			}
			line := now.journal[len(old.journal):]
			for c := 0; c <= len(line); c++ {
				want := oldState
				if c == len(line) {
					want = newState
				}
				f := storeFiles{snapshot: old.snapshot, journal: append(append([]byte(nil), old.journal...), line[:c]...), mark: old.mark}
				sample := c%32 == 0 || c >= len(line)-2
				storeRecovers(t, fmt.Sprintf("journal line cut after %d of %d bytes", c, len(line)), f, want, sample)
				if c < len(line) {
					f.journal = append(f.journal, make([]byte, len(line)-c)...) // the file grew, the data did not land
					storeRecovers(t, fmt.Sprintf("journal line with %d zero bytes after %d", len(line)-c, c), f, want, sample)
				}
			}
			// The line is durable; the mark's new slot lands byte by byte.
			start, end := changedSlot(old.mark, now.mark)
			for c := start; c <= end; c++ {
				m := withBytes(old.mark, start, now.mark[start:c])
				storeRecovers(t, fmt.Sprintf("mark slot written up to offset %d of %d", c, end), storeFiles{old.snapshot, now.journal, m}, newState, c%32 == 0)
			}
		})
	}
}

// changedSlot returns the byte range of the mark slot now holds and old
// does not: where the last mark write went.
func changedSlot(old, now []byte) (int, int) {
	off := 0
	for off < len(now) && off < len(old) && now[off] == old[off] {
		off++
	}
	start := off / markSlotSize * markSlotSize
	end := start
	for end < len(now) && now[end] != '\n' {
		end++
	}
	return start, end + 1
}

// A compaction writes the snapshot, the journal and the mark in turn; a
// crash between any two, or inside the mark's write, or leaving temporary
// files, loses nothing.
func TestFileStoreCrashDuringCompaction(t *testing.T) {
	for _, generation := range []int{1, 2} {
		t.Run(fmt.Sprint("compaction-", generation), func(t *testing.T) {
			dir := t.TempDir()
			s := storeOpenFile(t, dir, storeIDs())
			mem := NewMemoryStore()
			for g := 0; g < generation; g++ {
				storeWorkload(t, g*30, g*30+30, s, mem)
				if g < generation-1 {
					storeCompact(t, s)
				}
			}
			old, want := storeGrab(t, dir), storeDump(t, mem, storePair)
			storeCompact(t, s)
			s.Close()
			now := storeGrab(t, dir)
			states := map[string]storeFiles{
				"before":                    old,
				"snapshot renamed":          {now.snapshot, old.journal, old.mark},
				"snapshot, journal renamed": {now.snapshot, now.journal, old.mark},
				"all renamed":               now,
			}
			for name, f := range states {
				storeRecovers(t, name, f, want, true)
			}
			start, end := changedSlot(old.mark, now.mark)
			for c := start; c <= end; c++ {
				m := withBytes(old.mark, start, now.mark[start:c])
				storeRecovers(t, fmt.Sprintf("mark slot written up to offset %d of %d", c, end), storeFiles{now.snapshot, now.journal, m}, want, c == start || c == end)
			}
		})
	}
}

// Temporary files a crash leaves are never read, and Lock removes them.
func TestFileStoreIgnoresTempFiles(t *testing.T) {
	dir := t.TempDir()
	s := storeOpenFile(t, dir, FileStoreCompactAfter(5))
	mem := NewMemoryStore()
	storeWorkload(t, 0, 23, s, mem)
	s.Close()
	stem := escapePair(storePair)
	stray := newPairState(0)
	stray.putLink(storeLink(Users, "stray", "b"))
	plausible, err := encodeSnapshot(storePair, 1000, newJournalID(), nil, stray)
	if err != nil {
		t.Fatal(err)
	}
	temps := map[string][]byte{
		"." + stem + ".json.tmp-1":    []byte("garbage"),
		"." + stem + ".journal.tmp-2": []byte("0123 {\"seq\":99"),
		"." + stem + ".json.tmp-3":    plausible,
		"." + stem + ".mark.tmp-4":    make([]byte, 10),
	}
	for name, b := range temps {
		storeWriteFile(t, filepath.Join(dir, name), b)
	}
	again := storeOpenFile(t, dir)
	storeDiff(t, "beside temporary files", storeDump(t, mem, storePair), storeDump(t, again, storePair))
	unlock, err := again.Lock(context.Background(), storePair)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for name := range temps {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("temp file %s not removed by Lock: %v", name, err)
		}
	}
}
