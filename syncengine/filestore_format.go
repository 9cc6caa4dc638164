package syncengine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// ErrStateCorrupt is wrapped by errors from OpenFileStore and FileStore
// methods when a state file is damaged beyond a torn final journal line,
// or is of a format or version this build does not read.
var ErrStateCorrupt = errors.New("syncengine: state file is corrupt")

const (
	snapshotFormat = "rostersync-state"
	journalFormat  = "rostersync-journal"
	stateVersion   = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// snapshotFile is the JSON of <pair>.json. Checksum covers Data's bytes as
// they appear in the file.
type snapshotFile struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Pair     string          `json:"pair"`
	Seq      uint64          `json:"seq"`
	Checksum string          `json:"checksum"`
	Data     json.RawMessage `json:"data"`
}

type snapshotData struct {
	Links   []Link            `json:"links"`
	Cursors map[string]string `json:"cursors"`
	Runs    []RunRecord       `json:"runs"`
	Dues    []Due             `json:"dues,omitempty"`
	Pending []Pending         `json:"pending,omitempty"`
	PendSeq uint64            `json:"pending_seq,omitempty"`
	Lookups map[string]Lookup `json:"lookups,omitempty"`
}

// journalEntry is one line of <pair>.journal.
type journalEntry struct {
	Seq        uint64     `json:"seq"`
	Op         string     `json:"op"`
	Format     string     `json:"format,omitempty"`
	Version    int        `json:"version,omitempty"`
	Pair       string     `json:"pair,omitempty"`
	Link       *Link      `json:"link,omitempty"`
	Collection Collection `json:"collection,omitempty"`
	AID        string     `json:"a_id,omitempty"`
	Name       string     `json:"name,omitempty"`
	Value      *string    `json:"value,omitempty"`
	Run        *RunRecord `json:"run,omitempty"`
	Due        *Due       `json:"due,omitempty"`
	Pending    []Pending  `json:"pending,omitempty"`
	Lookup     *Lookup    `json:"lookup,omitempty"`
}

// Journal operations.
const (
	opHeader     = "header"
	opPutLink    = "put_link"
	opDeleteLink = "delete_link"
	opPutCursor  = "put_cursor"
	opAddRun     = "add_run"
	opPutDue     = "put_due"
	opDeleteDue  = "delete_due"
	// add_pending carries the entries with the Seqs the store gave them.
	opAddPending  = "add_pending"
	opDonePending = "done_pending"
	opPutLookup   = "put_lookup"
)

func checksum(b []byte) string { return fmt.Sprintf("%08x", crc32.Checksum(b, castagnoli)) }

// encodeLine renders e as "<crc32c hex> <json>\n".
func encodeLine(e journalEntry) ([]byte, error) {
	j, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	line := make([]byte, 0, len(j)+10)
	line = append(line, checksum(j)...)
	line = append(line, ' ')
	line = append(line, j...)
	return append(line, '\n'), nil
}

// decodeLine parses one journal line without its newline.
func decodeLine(line []byte) (journalEntry, error) {
	var e journalEntry
	if len(line) < 10 || line[8] != ' ' {
		return e, errors.New("not a checksummed line")
	}
	body := line[9:]
	if got := checksum(body); got != string(line[:8]) {
		return e, fmt.Errorf("checksum mismatch (line says %s, content has %s)", line[:8], got)
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return e, fmt.Errorf("bad JSON: %w", err)
	}
	return e, nil
}

func headerEntry(pair string) journalEntry {
	return journalEntry{Op: opHeader, Format: journalFormat, Version: stateVersion, Pair: pair}
}

// apply replays one journal entry onto st.
func (e journalEntry) apply(st *pairState) error {
	switch e.Op {
	case opPutLink:
		if e.Link == nil {
			return errors.New("put_link without a link")
		}
		if err := checkLink(*e.Link); err != nil {
			return err
		}
		st.putLink(*e.Link)
	case opDeleteLink:
		st.deleteLink(e.Collection, e.AID)
	case opPutCursor:
		if e.Value == nil {
			return errors.New("put_cursor without a value")
		}
		st.cursors[e.Name] = *e.Value
	case opAddRun:
		if e.Run == nil {
			return errors.New("add_run without a run")
		}
		st.addRun(*e.Run)
	case opPutDue:
		if e.Due == nil {
			return errors.New("put_due without a due time")
		}
		if err := checkDue(*e.Due); err != nil {
			return err
		}
		st.putDue(*e.Due)
	case opDeleteDue:
		if e.Due == nil {
			return errors.New("delete_due without a due time")
		}
		st.deleteDue(*e.Due)
	case opAddPending:
		for _, p := range e.Pending {
			if err := checkPending(p); err != nil {
				return err
			}
			st.putPending(p)
		}
	case opDonePending:
		st.donePending(e.Pending)
	case opPutLookup:
		if e.Lookup == nil || e.Name == "" {
			return errors.New("put_lookup without a key or value")
		}
		st.putLookup(e.Name, *e.Lookup)
	default:
		return fmt.Errorf("unknown operation %q", e.Op)
	}
	return nil
}

func corruptf(path, format string, args ...any) error {
	return fmt.Errorf("syncengine: file store: %s: %s: %w", path, fmt.Sprintf(format, args...), ErrStateCorrupt)
}

// readSnapshot loads path into a new state; a missing file is an empty state.
func readSnapshot(path, pair string) (*pairState, uint64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return newPairState(), 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("syncengine: file store: %w", err)
	}
	var f snapshotFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, 0, corruptf(path, "unparsable snapshot%s: %v", jsonOffset(err), err)
	}
	if f.Format != snapshotFormat || f.Version != stateVersion {
		return nil, 0, corruptf(path, "format %q version %d, this build reads %q version %d",
			f.Format, f.Version, snapshotFormat, stateVersion)
	}
	if f.Pair != pair {
		return nil, 0, corruptf(path, "snapshot is for pair %q, file name says %q", f.Pair, pair)
	}
	if got := checksum(f.Data); got != f.Checksum {
		return nil, 0, corruptf(path, "snapshot checksum mismatch (file says %s, data has %s)", f.Checksum, got)
	}
	var d snapshotData
	if err := json.Unmarshal(f.Data, &d); err != nil {
		return nil, 0, corruptf(path, "unparsable snapshot data: %v", err)
	}
	st := newPairState()
	for _, l := range d.Links {
		if err := checkLink(l); err != nil {
			return nil, 0, corruptf(path, "snapshot link: %v", err)
		}
		st.putLink(l)
	}
	for k, v := range d.Cursors {
		st.cursors[k] = v
	}
	st.runs = d.Runs
	for _, due := range d.Dues {
		if err := checkDue(due); err != nil {
			return nil, 0, corruptf(path, "snapshot due time: %v", err)
		}
		st.putDue(due)
	}
	for _, p := range d.Pending {
		if err := checkPending(p); err != nil {
			return nil, 0, corruptf(path, "snapshot pending entry: %v", err)
		}
		st.putPending(p)
	}
	st.pendSeq = max(st.pendSeq, d.PendSeq)
	for k, l := range d.Lookups {
		st.putLookup(k, l)
	}
	return st, f.Seq, nil
}

func jsonOffset(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return " at offset " + strconv.FormatInt(se.Offset, 10)
	}
	return ""
}

func encodeSnapshot(pair string, seq uint64, st *pairState) ([]byte, error) {
	d := snapshotData{Cursors: st.cursors, Runs: st.runs, Links: []Link{},
		Dues: st.dueList(), Pending: st.pendingList(), PendSeq: st.pendSeq, Lookups: st.lookups}
	for _, c := range sortedCollections(st) {
		d.Links = append(d.Links, st.linkList(c)...)
	}
	data, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	f := snapshotFile{Format: snapshotFormat, Version: stateVersion, Pair: pair, Seq: seq,
		Checksum: checksum(data), Data: data}
	b, err := json.Marshal(f) // not indented: that would re-indent Data and break its checksum
	return append(b, '\n'), err
}

func sortedCollections(st *pairState) []Collection {
	cs := make([]Collection, 0, len(st.links))
	for c := range st.links {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	return cs
}

// journalScan is what replaying a journal found.
type journalScan struct {
	seq     uint64 // last seq applied (or the snapshot's)
	entries int    // entries after the header
	goodLen int64  // bytes up to the end of the last good line
	torn    bool   // bytes after goodLen were dropped
	exists  bool
}

// replayJournal applies path's entries newer than seq onto st. Only the
// last line may be damaged (a crash mid-append): it is dropped. Anything
// else damaged is an error naming the line and offset.
func replayJournal(path, pair string, st *pairState, seq uint64) (journalScan, error) {
	scan := journalScan{seq: seq}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return scan, nil
	}
	if err != nil {
		return scan, fmt.Errorf("syncengine: file store: %w", err)
	}
	scan.exists = true
	var off int64
	for n := 1; len(b) > 0; n++ {
		i := bytes.IndexByte(b, '\n')
		last := i < 0 || i == len(b)-1
		line := b
		if i >= 0 {
			line = b[:i]
		}
		e, err := decodeLine(line)
		if err == nil && i < 0 {
			err = errors.New("no newline")
		}
		if err != nil {
			if last {
				scan.torn = true
				return scan, nil
			}
			return scan, corruptf(path, "line %d (offset %d): %v", n, off, err)
		}
		if err := replayEntry(&scan, e, n, pair, st); err != nil {
			return scan, corruptf(path, "line %d (offset %d): %v", n, off, err)
		}
		off += int64(i + 1)
		scan.goodLen = off
		b = b[i+1:]
	}
	return scan, nil
}

func replayEntry(scan *journalScan, e journalEntry, n int, pair string, st *pairState) error {
	if n == 1 {
		if e.Op != opHeader || e.Format != journalFormat || e.Version != stateVersion {
			return fmt.Errorf("header is %q format %q version %d, this build reads %q version %d",
				e.Op, e.Format, e.Version, journalFormat, stateVersion)
		}
		if e.Pair != pair {
			return fmt.Errorf("journal is for pair %q, file name says %q", e.Pair, pair)
		}
		return nil
	}
	scan.entries++
	if e.Seq <= scan.seq {
		// Already in the snapshot: a crash between writing the snapshot and
		// resetting the journal leaves these behind.
		return nil
	}
	if e.Seq != scan.seq+1 {
		return fmt.Errorf("sequence jumps from %d to %d", scan.seq, e.Seq)
	}
	if err := e.apply(st); err != nil {
		return err
	}
	scan.seq = e.Seq
	return nil
}

// writeFileAtomic replaces path with data: temp file in the same
// directory, fsync, rename over, fsync the directory.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	if dir == "" {
		dir = "."
	}
	if runtime.GOOS == "windows" {
		return nil // Windows cannot fsync a directory; its renames are journaled by NTFS.
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// escapePair turns a pair name into a file name stem that is safe on every
// file system, case-insensitive ones too: a-z, 0-9, '.', '_', '-' are kept,
// every other byte becomes %XX.
func escapePair(pair string) string {
	var b strings.Builder
	for i := 0; i < len(pair); i++ {
		c := pair[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || (c == '.' && i > 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
