package syncengine

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"sort"
)

// snapshotFile is <pair>.json in version 2. Digest covers State's bytes
// as they appear in the file; format and version stay outside it so that
// any build can tell which version it is looking at.
type snapshotFile struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	Digest  string          `json:"digest"`
	State   json.RawMessage `json:"state"`
}

// snapshotState is what a version 2 snapshot's digest covers.
type snapshotState struct {
	Pair string `json:"pair"`
	// Seq is the last journal entry the snapshot holds; the journal that
	// continues it starts with a header of this seq.
	Seq uint64 `json:"seq"`
	// Journal is the id of the journal that continues the snapshot.
	Journal string `json:"journal"`
	// Replaces is the journal this snapshot was compacted from, so that
	// a crash before the new journal replaced it can be told from damage.
	Replaces *journalRef `json:"replaces,omitempty"`
	snapshotData
}

// journalRef names a journal and the point it had reached.
type journalRef struct {
	Journal string `json:"journal,omitempty"` // empty for a version 1 journal
	Version int    `json:"version"`
	Seq     uint64 `json:"seq"`
	Digest  string `json:"digest,omitempty"` // version 2: the chain digest at Seq
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

// snapshotV1 is <pair>.json in version 1. Checksum is the CRC-32C of Data.
type snapshotV1 struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Pair     string          `json:"pair"`
	Seq      uint64          `json:"seq"`
	Checksum string          `json:"checksum"`
	Data     json.RawMessage `json:"data"`
}

// fileSnapshot is a decoded <pair>.json of either version.
type fileSnapshot struct {
	version  int
	seq      uint64
	journal  string      // version 2
	replaces *journalRef // version 2, when compacted from a journal
	state    *pairState
}

// decodeSnapshot parses the bytes of path, the snapshot of pair.
func decodeSnapshot(path, pair string, b []byte, keepRuns int) (*fileSnapshot, error) {
	var probe versionProbe
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, corruptf(path, "unparsable snapshot%s: %v", jsonOffset(err), err)
	}
	if err := checkVersion(path, snapshotFormat, probe, 1); err != nil {
		return nil, err
	}
	if probe.Version == 1 {
		return decodeSnapshotV1(path, pair, b, keepRuns)
	}
	var f snapshotFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, corruptf(path, "unparsable snapshot%s: %v", jsonOffset(err), err)
	}
	if got := chain(digest{}, f.State).String(); got != f.Digest {
		return nil, corruptf(path, "snapshot digest mismatch (file says %q, its state has %s)", f.Digest, got)
	}
	var s snapshotState
	if err := json.Unmarshal(f.State, &s); err != nil {
		return nil, corruptf(path, "unparsable snapshot state: %v", err)
	}
	if s.Pair != pair {
		return nil, corruptf(path, "snapshot is for pair %q, file name says %q", s.Pair, pair)
	}
	if err := checkJournalID(s.Journal); err != nil {
		return nil, corruptf(path, "snapshot: %v", err)
	}
	if err := s.Replaces.check(); err != nil {
		return nil, corruptf(path, "snapshot replaces: %v", err)
	}
	st, err := s.snapshotData.state(keepRuns)
	if err != nil {
		return nil, corruptf(path, "snapshot %v", err)
	}
	return &fileSnapshot{version: 2, seq: s.Seq, journal: s.Journal, replaces: s.Replaces, state: st}, nil
}

func decodeSnapshotV1(path, pair string, b []byte, keepRuns int) (*fileSnapshot, error) {
	var f snapshotV1
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, corruptf(path, "unparsable snapshot%s: %v", jsonOffset(err), err)
	}
	if f.Pair != pair {
		return nil, corruptf(path, "snapshot is for pair %q, file name says %q", f.Pair, pair)
	}
	if got := crc32c(f.Data); got != f.Checksum {
		return nil, corruptf(path, "snapshot checksum mismatch (file says %s, data has %s)", f.Checksum, got)
	}
	var d snapshotData
	if err := json.Unmarshal(f.Data, &d); err != nil {
		return nil, corruptf(path, "unparsable snapshot data: %v", err)
	}
	st, err := d.state(keepRuns)
	if err != nil {
		return nil, corruptf(path, "snapshot %v", err)
	}
	return &fileSnapshot{version: 1, seq: f.Seq, state: st}, nil
}

func (r *journalRef) check() error {
	switch {
	case r == nil:
		return nil
	case r.Version == 1:
		if r.Journal != "" || r.Digest != "" {
			return fmt.Errorf("a version 1 journal has no id or digest")
		}
		return nil
	case r.Version != 2:
		return fmt.Errorf("journal version %d", r.Version)
	}
	if err := checkJournalID(r.Journal); err != nil {
		return err
	}
	_, err := parseDigest(r.Digest)
	return err
}

func checkJournalID(id string) error {
	if _, err := parseDigest(id); err != nil {
		return fmt.Errorf("journal id %q is not 32 lowercase hex digits", id)
	}
	return nil
}

// state checks d's items and builds the pair state they describe.
func (d *snapshotData) state(keepRuns int) (*pairState, error) {
	st := newPairState(keepRuns)
	for _, l := range d.Links {
		if err := CheckLink(l); err != nil {
			return nil, fmt.Errorf("link: %v", err)
		}
		st.putLink(l)
	}
	for k, v := range d.Cursors {
		st.cursors[k] = v
	}
	for _, r := range d.Runs {
		st.addRun(r)
	}
	for _, due := range d.Dues {
		if err := checkDue(due); err != nil {
			return nil, fmt.Errorf("due time: %v", err)
		}
		st.putDue(due)
	}
	for _, p := range d.Pending {
		if err := checkPending(p); err != nil {
			return nil, fmt.Errorf("pending entry: %v", err)
		}
		st.putPending(p)
	}
	st.pendSeq = max(st.pendSeq, d.PendSeq)
	for k, l := range d.Lookups {
		if k == "" {
			return nil, fmt.Errorf("lookup with an empty key")
		}
		st.putLookup(k, l)
	}
	return st, nil
}

// encodeSnapshot renders st as a version 2 snapshot at seq, continued by
// journal id and compacted from replaces.
func encodeSnapshot(pair string, seq uint64, id string, replaces *journalRef, st *pairState) ([]byte, error) {
	s := snapshotState{Pair: pair, Seq: seq, Journal: id, Replaces: replaces, snapshotData: snapshotData{
		Cursors: st.cursors, Runs: st.runs, Links: []Link{}, Dues: st.dueList(),
		Pending: st.pendingList(), PendSeq: st.pendSeq, Lookups: st.lookups}}
	for _, c := range sortedCollections(st) {
		s.Links = append(s.Links, st.linkList(c)...)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	f := snapshotFile{Format: snapshotFormat, Version: stateVersion, Digest: chain(digest{}, data).String(), State: data}
	b, err := json.Marshal(f) // not indented: that would re-indent State and break its digest
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

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crc32c is the version 1 checksum: CRC-32C, eight lowercase hex digits.
func crc32c(b []byte) string { return fmt.Sprintf("%08x", crc32.Checksum(b, castagnoli)) }
