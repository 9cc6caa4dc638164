package syncengine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// markRecord is one slot of <pair>.mark: how far the journal had been
// written, durably, when the last write was acknowledged.
type markRecord struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Pair    string `json:"pair"`
	// N counts the mark's writes; the valid slot with the larger N is current.
	N       uint64 `json:"n"`
	Journal string `json:"journal"`
	Seq     uint64 `json:"seq"`
	Length  int64  `json:"length"`
	Digest  string `json:"digest"`
}

// markSlotSize separates the two slots by a page, so a torn write of one
// (the kernel writes pages, disks write sectors) cannot touch the other.
const markSlotSize = 4096

// mark is a decoded <pair>.mark.
type mark struct {
	n       uint64
	journal string
	at      checkpoint
}

// checkpoint is a point of a journal: the entry seq, the byte offset just
// after its line and the chain digest of that line.
type checkpoint struct {
	seq    uint64
	length int64
	digest digest
}

func (m *mark) String() string {
	return fmt.Sprintf("journal %s up to seq %d at offset %d", m.journal, m.at.seq, m.at.length)
}

// encodeMarkSlot renders one slot: "<digest> <json>\n".
func encodeMarkSlot(pair string, n uint64, id string, at checkpoint) ([]byte, error) {
	j, err := json.Marshal(markRecord{Format: markFormat, Version: stateVersion, Pair: pair, N: n,
		Journal: id, Seq: at.seq, Length: at.length, Digest: at.digest.String()})
	if err != nil {
		return nil, err
	}
	if len(j)+34 > markSlotSize {
		return nil, fmt.Errorf("mark record of %d bytes does not fit a slot", len(j))
	}
	line := append([]byte(chain(digest{}, j).String()+" "), j...)
	return append(line, '\n'), nil
}

// markFileBytes is a new mark file holding slot as record n.
func markFileBytes(slot []byte, n uint64) []byte {
	if n%2 == 0 {
		return slot
	}
	return append(make([]byte, markSlotSize), slot...)
}

// decodeMark reads the current record of the mark file's bytes: the valid
// slot with the larger N. A slot that does not decode is a write torn by
// a crash, as long as the other one is whole.
func decodeMark(path, pair string, b []byte) (*mark, error) {
	switch {
	case len(b) == 0:
		return nil, corruptf(path, "empty mark (0 bytes)")
	case len(b) > 2*markSlotSize:
		return nil, corruptf(path, "%d bytes: longer than the mark's two slots (%d)", len(b), 2*markSlotSize)
	}
	var best *mark
	var errs []string
	for i := 0; i*markSlotSize < len(b); i++ {
		slot := b[i*markSlotSize:]
		slot = slot[:min(len(slot), markSlotSize)]
		if isZero(slot) {
			continue // never written
		}
		body, err := markSlotBody(slot)
		if err != nil {
			errs = append(errs, fmt.Sprintf("slot %d (offset %d): %v", i, i*markSlotSize, err))
			continue
		}
		// A whole record that is wrong is not a torn write: refuse the file.
		m, err := parseMarkRecord(path, pair, body)
		if err != nil {
			return nil, err
		}
		if best == nil || m.n > best.n {
			best = m
		}
	}
	if best == nil {
		if len(errs) == 0 {
			errs = append(errs, "no slot was ever written")
		}
		return nil, corruptf(path, "no readable mark: %s", strings.Join(errs, "; "))
	}
	return best, nil
}

// markSlotBody returns the JSON of a slot whose digest matches.
func markSlotBody(slot []byte) ([]byte, error) {
	line, _, ok := bytes.Cut(slot, []byte{'\n'})
	const n = 2 * len(digest{})
	if !ok || len(line) < n+2 || line[n] != ' ' {
		return nil, fmt.Errorf("not a line of the form \"<digest> <json>\"")
	}
	body := line[n+1:]
	if chain(digest{}, body).String() != string(line[:n]) {
		return nil, fmt.Errorf("digest mismatch")
	}
	return body, nil
}

func parseMarkRecord(path, pair string, body []byte) (*mark, error) {
	var probe versionProbe
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, corruptf(path, "bad JSON: %v", err)
	}
	if err := checkVersion(path, markFormat, probe, 2); err != nil {
		return nil, err
	}
	var r markRecord
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, corruptf(path, "bad JSON: %v", err)
	}
	if r.Pair != pair {
		return nil, corruptf(path, "mark is for pair %q, file name says %q", r.Pair, pair)
	}
	if err := checkJournalID(r.Journal); err != nil {
		return nil, corruptf(path, "mark: %v", err)
	}
	d, err := parseDigest(r.Digest)
	if err != nil {
		return nil, corruptf(path, "mark: %v", err)
	}
	if r.N == 0 || r.Length <= 0 {
		return nil, corruptf(path, "mark record n %d, length %d", r.N, r.Length)
	}
	return &mark{n: r.N, journal: r.Journal, at: checkpoint{seq: r.Seq, length: r.Length, digest: d}}, nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// markWriter updates a mark file in place, alternating slots.
type markWriter struct {
	path string
	pair string
	sync fsyncer
	f    *os.File
	n    uint64 // the last record written or read (0: no file yet)
}

// write records that the journal id reached at, durably before it returns.
func (w *markWriter) write(id string, at checkpoint) error {
	n := w.n + 1
	slot, err := encodeMarkSlot(w.pair, n, id, at)
	if err != nil {
		return err
	}
	if w.n == 0 {
		if err := w.sync.writeFileAtomic(w.path, markFileBytes(slot, n)); err != nil {
			return err
		}
		w.n = n
		return nil
	}
	if w.f == nil {
		f, err := os.OpenFile(w.path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		w.f = f
	}
	if _, err := w.f.WriteAt(slot, int64(n%2)*markSlotSize); err != nil {
		return err
	}
	if err := w.sync.file(w.f); err != nil {
		return err
	}
	w.n = n
	return nil
}

func (w *markWriter) close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
