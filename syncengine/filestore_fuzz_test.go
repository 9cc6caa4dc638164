package syncengine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzFileStoreJournal feeds arbitrary bytes as a pair's snapshot, journal
// and mark (nil: the file is absent) to OpenFileStore. It must open or fail
// with ErrStateCorrupt, never panic. A store that opens must take a write
// and reopen with exactly what it had plus that write. A store refused must
// be repaired by RepairFileStore, with the files moved aside unchanged,
// after which it opens empty.
//
// A journal starting "resum " has its chain digests rewritten, and a mark
// starting "remark" is rebuilt to vouch for the journal's end, so the
// fuzzer reaches the checks behind the digests.
func FuzzFileStoreJournal(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed.snapshot, seed.journal, seed.mark)
	}
	f.Fuzz(func(t *testing.T, snapshot, journal, mark []byte) {
		files := fuzzFiles(snapshot, journal, mark)
		dir := t.TempDir()
		place := map[string][]byte{storeSnapshot(dir, storePair): files.snapshot,
			storeJournal(dir, storePair): files.journal, storeMark(dir, storePair): files.mark}
		for path, b := range place {
			if b != nil {
				storeWriteFile(t, path, b)
			}
		}
		s, err := OpenFileStore(dir, storeNoSync())
		if err != nil {
			if !errors.Is(err, ErrStateCorrupt) {
				t.Fatalf("OpenFileStore: %v, want an error wrapping ErrStateCorrupt", err)
			}
			t.Log(err)
			fuzzRepair(t, dir, place)
			return
		}
		defer s.Close()
		want := storeDump(t, s, storePair)
		added := storeLink(Users, "fuzz-added", "b")
		if err := s.PutLink(context.Background(), storePair, added); err != nil {
			t.Fatalf("PutLink after open: %v", err)
		}
		s.Close()
		again, err := OpenFileStore(dir, storeNoSync())
		if err != nil {
			t.Fatalf("reopen after a write: %v", err)
		}
		defer again.Close()
		users := append(slices.DeleteFunc(want.Links[Users], func(l Link) bool { return l.AID == added.AID }), added)
		slices.SortFunc(users, func(a, b Link) int { return strings.Compare(a.AID, b.AID) })
		want.Links[Users] = users
		storeDiff(t, "after a write and a reopen", want, storeDump(t, again, storePair))
	})
}

func fuzzRepair(t *testing.T, dir string, place map[string][]byte) {
	r, err := repairFileStore(dir, storePair, RepairOptions{Apply: true}, newFileStoreConfig([]FileStoreOption{storeNoSync()}))
	if err != nil {
		t.Fatalf("RepairFileStore: %v", err)
	}
	if r.Damage == nil || !r.Moved {
		t.Fatalf("RepairFileStore of files OpenFileStore refuses: damage %v, moved %v", r.Damage, r.Moved)
	}
	for path, b := range place {
		if b == nil {
			continue
		}
		if got, err := os.ReadFile(filepath.Join(r.Aside, filepath.Base(path))); err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s moved aside changed or lost: %v", path, err)
		}
	}
	s, err := OpenFileStore(dir, storeNoSync())
	if err != nil {
		t.Fatalf("OpenFileStore after a repair: %v", err)
	}
	defer s.Close()
	storeDiff(t, "after a repair", storeState{}, storeDump(t, s, storePair))
}

// storeNoSync skips fsync: the fuzzer checks the format, not the disk,
// and a sync per exec would cut its rate tenfold.
func storeNoSync() FileStoreOption {
	return func(c *fileStoreConfig) { c.fsync = func(*os.File) error { return nil } }
}

// fuzzFiles turns the fuzzer's bytes into files: an empty input is an
// absent file, one byte 0 an empty one.
func fuzzFiles(snapshot, journal, mark []byte) storeFiles {
	file := func(b []byte) []byte {
		switch {
		case len(b) == 0:
			return nil
		case len(b) == 1 && b[0] == 0:
			return []byte{}
		}
		return b
	}
	f := storeFiles{file(snapshot), file(journal), file(mark)}
	if rest, ok := bytes.CutPrefix(f.journal, []byte("resum ")); ok {
		f.journal = rechainLoose(rest)
	}
	if bytes.HasPrefix(f.mark, []byte("remark")) {
		f.mark = remark(f.journal)
	}
	return f
}

// rechainLoose rewrites the digests of the lines that have the form
// "<32 chars> <json>", leaving any others as they are.
func rechainLoose(b []byte) []byte {
	var out []byte
	var prev digest
	const n = 2 * len(digest{})
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		body, nl := bytes.CutSuffix(line, []byte("\n"))
		if len(body) > n && body[n] == ' ' {
			body = body[n+1:]
			prev = chain(prev, body)
			line = append([]byte(prev.String()+" "), body...)
			if nl {
				line = append(line, '\n')
			}
		}
		out = append(out, line...)
	}
	return out
}

// remark builds a mark vouching for the journal up to its last whole line.
func remark(journal []byte) []byte {
	h, err := decodeJournalHead("fuzz", storePair, journal)
	if err != nil || h.version != 2 {
		return []byte("remark")
	}
	s, err := scanJournal("fuzz", journal, h, newPairState(0), nil)
	if err != nil {
		return []byte("remark")
	}
	slot, err := encodeMarkSlot(storePair, 1, h.id, s.last)
	if err != nil {
		return []byte("remark")
	}
	return markFileBytes(slot, 1)
}

// fuzzSeeds are real files: fresh, compacted, mid-compaction, torn, version 1.
func fuzzSeeds(f *testing.F) []storeFiles {
	dir := f.TempDir()
	s, err := OpenFileStore(dir, storeIDs())
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	storeWorkload(f, 0, 12, s)
	fresh := storeGrab(f, dir)
	storeCompact(f, s)
	compacted := storeGrab(f, dir)
	storeWorkload(f, 12, 20, s)
	later := storeGrab(f, dir)
	seeds := []storeFiles{fresh, compacted, later,
		{compacted.snapshot, fresh.journal, fresh.mark},
		{compacted.snapshot, compacted.journal, fresh.mark},
		{later.snapshot, later.journal[:len(later.journal)-9], later.mark},
		{journal: append([]byte("resum "), fresh.journal...), mark: []byte("remark")},
		{snapshot: []byte{0}, journal: []byte{0}, mark: []byte{0}},
		{},
	}
	v1 := func(name string) []byte { b, _ := os.ReadFile(filepath.Join(v1Fixture, name)); return b }
	// The version 1 fixture's pairs, renamed a->b (checksums redone).
	rename := func(b []byte) []byte {
		for _, old := range []string{`bamboohr-\u003elitmos`, `hibob-\u003elearnamp`} {
			b = bytes.ReplaceAll(b, []byte(old), []byte(`a-\u003eb`))
		}
		if bytes.HasPrefix(b, []byte("{")) {
			return b // the snapshot's checksum covers its data only
		}
		var out []byte
		for _, line := range storeLines(b) {
			body := bytes.TrimSuffix(line[9:], []byte("\n"))
			out = append(out, crc32c(body)+" "...)
			out = append(append(out, body...), '\n')
		}
		return out
	}
	seeds = append(seeds, storeFiles{journal: rename(v1("hibob-%3Elearnamp.journal"))},
		storeFiles{snapshot: rename(v1("bamboohr-%3Elitmos.json")), journal: rename(v1("bamboohr-%3Elitmos.journal"))})
	return seeds
}
