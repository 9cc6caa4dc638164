package syncengine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzFileStoreJournal feeds arbitrary journal bytes to OpenFileStore: it
// must open (dropping at most a torn last line) or fail with an error
// wrapping ErrStateCorrupt; it must never panic. A store that opens must
// accept a write and reopen with that write.
func FuzzFileStoreJournal(f *testing.F) {
	valid := func(ops ...journalEntry) []byte {
		var b []byte
		line, _ := encodeLine(headerEntry("a->b"))
		b = append(b, line...)
		for i, e := range ops {
			e.Seq = uint64(i + 1)
			line, _ := encodeLine(e)
			b = append(b, line...)
		}
		return b
	}
	l := storeLink(Users, "a1", "b1")
	v := "x"
	good := valid(journalEntry{Op: opPutLink, Link: &l}, journalEntry{Op: opPutCursor, Name: "c", Value: &v},
		journalEntry{Op: opDeleteLink, Collection: Users, AID: "a1"})
	f.Add(good)
	f.Add(good[:len(good)-7])
	f.Add(append(append([]byte{}, good...), 0, 0, 0))
	f.Add([]byte("00000000 {}\n"))
	f.Add([]byte{})
	f.Add(append([]byte("resum "), good...)) // resum: recompute each line's checksum
	f.Fuzz(func(t *testing.T, journal []byte) {
		if rest, ok := bytes.CutPrefix(journal, []byte("resum ")); ok {
			journal = resum(rest)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, escapePair("a->b")+".journal"), journal, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := OpenFileStore(dir)
		if err != nil {
			if !errors.Is(err, ErrStateCorrupt) {
				t.Fatalf("OpenFileStore: %v, want an error wrapping ErrStateCorrupt", err)
			}
			return
		}
		defer s.Close()
		ctx := context.Background()
		if err := s.PutLink(ctx, "a->b", storeLink(Users, "fuzz", "b")); err != nil {
			t.Fatalf("PutLink after open: %v", err)
		}
		s.Close()
		again, err := OpenFileStore(dir)
		if err != nil {
			t.Fatalf("reopen after a write: %v", err)
		}
		defer again.Close()
		links, err := again.Links(ctx, "a->b", Users)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range links {
			found = found || l.AID == "fuzz"
		}
		if !found {
			t.Fatalf("the write after open was lost; links %v", links)
		}
	})
}

// resum rewrites each line's checksum to match its content, so the fuzzer
// reaches the JSON and sequence checks behind the checksum.
func resum(b []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		body, nl := bytes.CutSuffix(line, []byte("\n"))
		if len(body) >= 9 {
			body = body[9:]
		}
		out = append(out, checksum(body)...)
		out = append(out, ' ')
		out = append(out, body...)
		if nl {
			out = append(out, '\n')
		}
	}
	return out
}
