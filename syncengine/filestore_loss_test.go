package syncengine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// storeLinks writes n user links a0.. to pair a->b in dir, without a
// compaction unless compacted, and closes the store.
func storeLinks(t *testing.T, dir string, n int, compacted bool) {
	t.Helper()
	s := storeOpenFile(t, dir, storeIDs())
	for i := 0; i < n; i++ {
		if err := s.PutLink(context.Background(), storePair, storeLink(Users, fmt.Sprintf("a%02d", i), "b")); err != nil {
			t.Fatal(err)
		}
		if compacted && i == n/2 {
			storeCompact(t, s)
		}
	}
	s.Close()
}

// storeLines splits a journal into its lines, newlines kept.
func storeLines(b []byte) [][]byte {
	return bytes.SplitAfter(b, []byte("\n"))[:bytes.Count(b, []byte("\n"))]
}

// rechain rewrites each line's digest so the chain holds again: the
// line's JSON is what was changed on purpose.
func rechain(lines [][]byte) []byte {
	var out []byte
	var prev digest
	for _, line := range lines {
		body := bytes.TrimSuffix(line[2*len(digest{})+1:], []byte("\n"))
		prev = chain(prev, body)
		out = append(out, prev.String()+" "...)
		out = append(out, body...)
		out = append(out, '\n')
	}
	return out
}

// storeOther writes pair x->y in another directory and returns that dir.
func storeOther(t *testing.T, pair string, n int) string {
	dir := t.TempDir()
	s := storeOpenFile(t, dir) // random ids: another store's generation
	for i := 0; i < n; i++ {
		if err := s.PutLink(context.Background(), pair, storeLink(Users, fmt.Sprint("x", i), "y")); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	return dir
}

// Every case the brief lists, and the others the format can tell: each is
// refused with ErrStateCorrupt naming the file and what was found.
func TestFileStoreRefusesLoss(t *testing.T) {
	tests := []struct {
		name      string
		compacted bool
		damage    func(t *testing.T, dir string)
		file      string // "journal", "snapshot", "mark" or a file name
		want      string
	}{
		{"journal cut at a line boundary", false, func(t *testing.T, dir string) {
			lines := storeLines(storeRead(t, storeJournal(dir, storePair)))
			storeWriteFile(t, storeJournal(dir, storePair), bytes.Join(lines[:13], nil))
		}, "journal", "15 entries are lost"},
		{"journal cut mid-line", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeJournal(dir, storePair))
			storeWriteFile(t, storeJournal(dir, storePair), b[:2000])
		}, "journal", "is not a torn last write"},
		{"journal cut inside its last acknowledged line", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeJournal(dir, storePair))
			storeWriteFile(t, storeJournal(dir, storePair), b[:len(b)-10])
		}, "journal", "line 28 (offset"},
		{"journal cut to its header", true, func(t *testing.T, dir string) {
			lines := storeLines(storeRead(t, storeJournal(dir, storePair)))
			storeWriteFile(t, storeJournal(dir, storePair), lines[0])
		}, "journal", "entries are lost"},
		{"journal zero bytes beside a snapshot", true, func(t *testing.T, dir string) {
			storeWriteFile(t, storeJournal(dir, storePair), nil)
		}, "journal", "empty journal (0 bytes)"},
		{"journal zero bytes, never compacted", false, func(t *testing.T, dir string) {
			storeWriteFile(t, storeJournal(dir, storePair), nil)
		}, "journal", "empty journal (0 bytes)"},
		{"journal missing beside a snapshot", true, func(t *testing.T, dir string) {
			os.Remove(storeJournal(dir, storePair))
		}, "journal", "missing, but the snapshot"},
		{"journal missing beside the mark", false, func(t *testing.T, dir string) {
			os.Remove(storeJournal(dir, storePair))
		}, "journal", "missing, but the mark"},
		{"journal header torn", false, func(t *testing.T, dir string) {
			storeWriteFile(t, storeJournal(dir, storePair), storeRead(t, storeJournal(dir, storePair))[:40])
		}, "journal", "header incomplete"},
		{"journal of another pair", false, func(t *testing.T, dir string) {
			other := storeOther(t, "x->y", 3)
			storeWriteFile(t, storeJournal(dir, storePair), storeRead(t, storeJournal(other, "x->y")))
		}, "journal", `journal is for pair "x->y"`},
		{"journal of another store of the same pair", true, func(t *testing.T, dir string) {
			other := storeOther(t, storePair, 3)
			storeWriteFile(t, storeJournal(dir, storePair), storeRead(t, storeJournal(other, storePair)))
		}, "journal", "(the journal was replaced)"},
		{"journal of another store, no snapshot", false, func(t *testing.T, dir string) {
			other := storeOther(t, storePair, 30)
			storeWriteFile(t, storeJournal(dir, storePair), storeRead(t, storeJournal(other, storePair)))
		}, "mark", "records writes to journal 00000000000000000000000000000001, but the journal"},
		{"journal replayed twice", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeJournal(dir, storePair))
			lines := storeLines(b)
			storeWriteFile(t, storeJournal(dir, storePair), append(b, bytes.Join(lines[1:], nil)...))
		}, "journal", "line 29 (offset"},
		{"line written twice", false, func(t *testing.T, dir string) {
			lines := storeLines(storeRead(t, storeJournal(dir, storePair)))
			lines = append(lines[:6], append([][]byte{lines[5]}, lines[6:]...)...)
			storeWriteFile(t, storeJournal(dir, storePair), bytes.Join(lines, nil))
		}, "journal", "line 7 (offset"},
		{"last line written twice", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeJournal(dir, storePair))
			lines := storeLines(b)
			storeWriteFile(t, storeJournal(dir, storePair), append(b, lines[len(lines)-1]...))
		}, "journal", "repeats the line before it"},
		{"line missing", false, func(t *testing.T, dir string) {
			lines := storeLines(storeRead(t, storeJournal(dir, storePair)))
			storeWriteFile(t, storeJournal(dir, storePair), bytes.Join(append(lines[:4], lines[5:]...), nil))
		}, "journal", "seq 5 where seq 4 should be"},
		{"line missing, chain rewritten", false, func(t *testing.T, dir string) {
			lines := storeLines(storeRead(t, storeJournal(dir, storePair)))
			storeWriteFile(t, storeJournal(dir, storePair), rechain(append(lines[:4], lines[5:]...)))
		}, "journal", "seq 5 follows seq 3"},
		{"bit flipped mid-journal", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeJournal(dir, storePair))
			b[1500] ^= 0x01
			storeWriteFile(t, storeJournal(dir, storePair), b)
		}, "journal", "(offset"},
		{"line edited, chain rewritten", false, func(t *testing.T, dir string) {
			b := bytes.Replace(storeRead(t, storeJournal(dir, storePair)), []byte(`"a_id":"a03"`), []byte(`"a_id":"zzz"`), 1)
			storeWriteFile(t, storeJournal(dir, storePair), rechain(storeLines(b)))
		}, "journal", "but the mark recorded offset"},
		{"journal base edited, chain rewritten", true, func(t *testing.T, dir string) {
			b := bytes.Replace(storeRead(t, storeJournal(dir, storePair)), []byte(`"seq":14,"op":"header"`), []byte(`"seq":13,"op":"header"`), 1)
			storeWriteFile(t, storeJournal(dir, storePair), rechain(storeLines(b)))
		}, "journal", "continues from seq 13, but the snapshot"},
		{"mark missing", false, func(t *testing.T, dir string) {
			os.Remove(storeMark(dir, storePair))
		}, "mark", "missing, but the journal"},
		{"mark zero bytes", false, func(t *testing.T, dir string) {
			storeWriteFile(t, storeMark(dir, storePair), nil)
		}, "mark", "empty mark"},
		{"mark slots both damaged", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeMark(dir, storePair))
			b[3] ^= 1
			b[markSlotSize+3] ^= 1
			storeWriteFile(t, storeMark(dir, storePair), b)
		}, "mark", "no readable mark"},
		{"mark of another pair", false, func(t *testing.T, dir string) {
			other := storeOther(t, "x->y", 3)
			storeWriteFile(t, storeMark(dir, storePair), storeRead(t, storeMark(other, "x->y")))
		}, "mark", `mark is for pair "x->y"`},
		{"mark of another store of the same pair", true, func(t *testing.T, dir string) {
			other := storeOther(t, storePair, 3)
			storeWriteFile(t, storeMark(dir, storePair), storeRead(t, storeMark(other, storePair)))
		}, "mark", "records writes to journal"},
		{"snapshot missing", true, func(t *testing.T, dir string) {
			os.Remove(storeSnapshot(dir, storePair))
		}, "snapshot", "missing, but the journal"},
		{"snapshot empty", true, func(t *testing.T, dir string) {
			storeWriteFile(t, storeSnapshot(dir, storePair), nil)
		}, "snapshot", "unparsable snapshot"},
		{"snapshot cut", true, func(t *testing.T, dir string) {
			b := storeRead(t, storeSnapshot(dir, storePair))
			storeWriteFile(t, storeSnapshot(dir, storePair), b[:len(b)/2])
		}, "snapshot", "unparsable snapshot"},
		{"snapshot data changed", true, func(t *testing.T, dir string) {
			storeEditFile(t, storeSnapshot(dir, storePair), `"b_id":"b"`, `"b_id":"c"`)
		}, "snapshot", "snapshot digest mismatch"},
		{"snapshot of another pair", true, func(t *testing.T, dir string) {
			other := t.TempDir()
			s := storeOpenFile(t, other)
			s.PutLink(context.Background(), "x->y", storeLink(Users, "x", "y"))
			p := s.pair("x->y")
			p.mu.Lock()
			p.compact()
			p.mu.Unlock()
			storeWriteFile(t, storeSnapshot(dir, storePair), storeRead(t, storeSnapshot(other, "x->y")))
		}, "snapshot", `snapshot is for pair "x->y"`},
		{"snapshot older than the journal", true, func(t *testing.T, dir string) {
			old := storeRead(t, storeSnapshot(dir, storePair))
			s := storeOpenFile(t, dir) // random ids from here on
			s.PutLink(context.Background(), storePair, storeLink(Users, "new", "b"))
			storeCompact(t, s)
			s.PutLink(context.Background(), storePair, storeLink(Users, "newer", "b"))
			s.Close()
			storeWriteFile(t, storeSnapshot(dir, storePair), old)
		}, "journal", "(the journal was replaced)"},
		{"journal the snapshot replaced, after writes to its successor", true, func(t *testing.T, dir string) {
			s := storeOpenFile(t, dir)
			before := storeRead(t, storeJournal(dir, storePair))
			storeCompact(t, s)
			s.PutLink(context.Background(), storePair, storeLink(Users, "lost", "b"))
			s.Close()
			storeWriteFile(t, storeJournal(dir, storePair), before)
		}, "journal", "records writes to its successor"},
		{"snapshot of a newer version", true, func(t *testing.T, dir string) {
			storeEditFile(t, storeSnapshot(dir, storePair), `"version":2`, `"version":3`)
		}, "snapshot", "version 3 is newer than this build reads (2)"},
		{"journal of a newer version", false, func(t *testing.T, dir string) {
			storeEditFile(t, storeJournal(dir, storePair), `"version":2`, `"version":3`)
		}, "journal", "version 3 is newer than this build reads (2)"},
		{"mark of a newer version", false, func(t *testing.T, dir string) {
			b := storeRead(t, storeMark(dir, storePair))
			for _, off := range []int{0, markSlotSize} {
				if off < len(b) && b[off] != 0 {
					line, _, _ := bytes.Cut(b[off:], []byte("\n"))
					body := bytes.Replace(line[33:], []byte(`"version":2`), []byte(`"version":3`), 1)
					copy(b[off:], chain(digest{}, body).String()+" "+string(body)+"\n")
				}
			}
			storeWriteFile(t, storeMark(dir, storePair), b)
		}, "mark", "version 3 is newer than this build reads (2)"},
	}
	// The 27 links are written once per kind and copied into each case.
	made := map[bool]storeFiles{}
	for _, compacted := range []bool{false, true} {
		dir := t.TempDir()
		storeLinks(t, dir, 27, compacted)
		made[compacted] = storeGrab(t, dir)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := storePlace(t, made[tt.compacted])
			tt.damage(t, dir)
			_, err := OpenFileStore(dir)
			if !errors.Is(err, ErrStateCorrupt) {
				t.Fatalf("OpenFileStore: err = %v, want ErrStateCorrupt", err)
			}
			t.Log(err)
			file := map[string]string{"journal": "a-%3Eb.journal", "snapshot": "a-%3Eb.json", "mark": "a-%3Eb.mark"}[tt.file]
			if file == "" {
				file = tt.file
			}
			if msg := err.Error(); !strings.Contains(msg, "file store: "+dir+"/"+file+": ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q\ndoes not name %s or say %q", msg, file, tt.want)
			}
		})
	}
}

func storeEditFile(t *testing.T, path, old, new string) {
	t.Helper()
	b := storeRead(t, path)
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %s", path, old)
	}
	storeWriteFile(t, path, bytes.Replace(b, []byte(old), []byte(new), 1))
}

// Torn tails after the mark are what a crash leaves: dropped, then cut off
// before the next append.
func TestFileStoreDropsTornLastLine(t *testing.T) {
	tests := []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"prefix of a line", func(b []byte) []byte {
			return append(b, "0123456789abcdef0123456789abcdef {\"seq\":6,\"op\":\"put_li"...)
		}},
		{"only the digest", func(b []byte) []byte { return append(b, "0123456789abcdef"...) }},
		{"zeros", func(b []byte) []byte { return append(b, make([]byte, 300)...) }},
		{"a line whose JSON is cut, newline and all", func(b []byte) []byte {
			return append(b, "0123456789abcdef0123456789abcdef {\"seq\":6,\"op\":\n"...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			storeLinks(t, dir, 5, false)
			want := storeDump(t, storeOpenFile(t, dir), storePair)
			path := storeJournal(dir, storePair)
			storeWriteFile(t, path, tt.damage(storeRead(t, path)))
			s := storeOpenFile(t, dir)
			storeDiff(t, "after a torn tail", want, storeDump(t, s, storePair))
			if err := s.PutLink(context.Background(), storePair, storeLink(Users, "a9", "b")); err != nil {
				t.Fatal(err)
			}
			s.Close()
			got := storeDump(t, storeOpenFile(t, dir), storePair)
			if n := len(got.Links[Users]); n != 6 {
				t.Errorf("after a write past the torn tail and a reopen: %d links, want 6", n)
			}
		})
	}
}
