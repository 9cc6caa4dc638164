package syncengine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Reading version 1 files, as every earlier build wrote them. Version 1
// lines are "<crc32c hex> <json>\n" with no chain and there is no mark,
// so a version 1 journal cut at a line boundary cannot be told from its
// end; the first write to such a pair compacts it into version 2 files.

// decodeLineV1 parses one version 1 journal line without its newline.
func decodeLineV1(line []byte) (journalEntry, error) {
	var e journalEntry
	if len(line) < 10 || line[8] != ' ' {
		return e, errors.New("not a checksummed line")
	}
	body := line[9:]
	if got := crc32c(body); got != string(line[:8]) {
		return e, fmt.Errorf("checksum mismatch (line says %s, content has %s)", line[:8], got)
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return e, fmt.Errorf("bad JSON: %w", err)
	}
	if e.Op == opPutLookup && e.Key == "" {
		e.Key = e.Name // the build that added lookups to version 1 named the key "name"
	}
	return e, nil
}

// scanJournalV1 applies the entries of a version 1 journal newer than seq
// (the snapshot's) onto st. Entries the snapshot holds are skipped: a
// crash between a compaction's two renames leaves them. Seqs must follow
// one another; only the last line may be damaged (a torn append): it is
// dropped.
func scanJournalV1(path string, b []byte, h *journalHead, st *pairState, seq uint64) (journalScan, error) {
	s := journalScan{last: checkpoint{seq: seq, length: h.length}}
	var prev uint64 // the seq of the line before, 0 for the header
	for n := 2; s.last.length < int64(len(b)); n++ {
		off := s.last.length
		rest := b[off:]
		i := bytes.IndexByte(rest, '\n')
		line, final := rest, i < 0 || i == len(rest)-1
		if i >= 0 {
			line = rest[:i]
		}
		e, err := decodeLineV1(line)
		if err == nil && i < 0 {
			err = errors.New("no newline")
		}
		if err != nil {
			if final {
				s.torn = true
				return s, nil
			}
			return s, corruptf(path, "line %d (offset %d): %v", n, off, err)
		}
		if err := s.replayV1(e, prev, st); err != nil {
			return s, corruptf(path, "line %d (offset %d): %v", n, off, err)
		}
		prev = e.Seq
		s.last.length = off + int64(i+1)
		s.entries++
	}
	return s, nil
}

func (s *journalScan) replayV1(e journalEntry, prev uint64, st *pairState) error {
	switch {
	case e.Op == opHeader:
		return errors.New("a second header")
	case e.Seq == 0:
		return errors.New("an entry with seq 0")
	case prev != 0 && e.Seq != prev+1:
		return fmt.Errorf("seq %d follows seq %d (a lost or repeated line)", e.Seq, prev)
	case prev == 0 && e.Seq > s.last.seq+1:
		return fmt.Errorf("sequence jumps from %d to %d", s.last.seq, e.Seq)
	case e.Seq <= s.last.seq:
		return nil // in the snapshot already
	}
	if err := e.apply(st); err != nil {
		return err
	}
	s.last.seq = e.Seq
	return nil
}
