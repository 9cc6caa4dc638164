package syncengine

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// journalHead is the parsed first line of a journal.
type journalHead struct {
	version int
	id      string // version 2: the journal's id
	base    uint64 // version 2: the seq the journal continues from
	length  int64  // bytes of the header line, newline included
	digest  digest // version 2: the header line's chain digest
}

// decodeJournalHead parses the header line of journal bytes b. A journal
// is always created whole, header first, so a missing or damaged header
// is damage, never a crash.
func decodeJournalHead(path, pair string, b []byte) (*journalHead, error) {
	if len(b) == 0 {
		return nil, corruptf(path, "empty journal (0 bytes): its header is missing")
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return nil, corruptf(path, "line 1 (offset 0): header incomplete (%d bytes, no newline)", len(b))
	}
	line := b[:i]
	sum, body, ok := bytes.Cut(line, []byte{' '})
	if !ok {
		return nil, corruptf(path, "line 1 (offset 0): not a journal header")
	}
	var probe versionProbe
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, corruptf(path, "line 1 (offset 0): header is not JSON: %v", err)
	}
	if err := checkVersion(path, journalFormat, probe, 1); err != nil {
		return nil, err
	}
	h := &journalHead{version: probe.Version, length: int64(i + 1)}
	var e journalEntry
	var err error
	if h.version == 1 {
		if crc32c(body) != string(sum) {
			return nil, corruptf(path, "line 1 (offset 0): header checksum mismatch")
		}
		err = json.Unmarshal(body, &e)
	} else {
		e, h.digest, err = decodeLine(digest{}, line)
	}
	if err != nil {
		return nil, corruptf(path, "line 1 (offset 0): header: %v", err)
	}
	switch {
	case e.Op != opHeader:
		return nil, corruptf(path, "line 1 (offset 0): %q where the header should be", e.Op)
	case e.Pair != pair:
		return nil, corruptf(path, "journal is for pair %q, file name says %q", e.Pair, pair)
	case h.version == 1 && e.Seq != 0:
		return nil, corruptf(path, "line 1 (offset 0): version 1 header with seq %d", e.Seq)
	}
	if h.version == 2 {
		if err := checkJournalID(e.Journal); err != nil {
			return nil, corruptf(path, "line 1 (offset 0): %v", err)
		}
		h.id, h.base = e.Journal, e.Seq
	}
	return h, nil
}

// journalScan is what reading a journal found.
type journalScan struct {
	last    checkpoint // the last whole line (the header's when no entries)
	entries int        // entries after the header
	torn    bool       // bytes after last.length were dropped
}

// scanJournal replays the entries of a version 2 journal (bytes b, header
// h) onto st, checking the hash chain and that seqs follow the header's
// one by one. When ack is set, it is the point the mark says was
// acknowledged: the journal must reach it with the same digest, and only
// bytes after it may be a torn line. Without ack, only the last line may be.
func scanJournal(path string, b []byte, h *journalHead, st *pairState, ack *checkpoint) (journalScan, error) {
	s := journalScan{last: checkpoint{seq: h.base, length: h.length, digest: h.digest}}
	if err := s.checkAck(path, 1, ack); err != nil {
		return s, err
	}
	var prevPrev digest
	for n := 2; s.last.length < int64(len(b)); n++ {
		off := s.last.length
		rest := b[off:]
		i := bytes.IndexByte(rest, '\n')
		line, final := rest, i < 0 || i == len(rest)-1
		if i >= 0 {
			line = rest[:i]
		}
		e, d, err := decodeLine(s.last.digest, line)
		switch {
		case i < 0:
			err = fmt.Errorf("the journal ends inside this line (%d bytes, no newline)", len(line))
		case err == nil && e.Seq != s.last.seq+1:
			return s, corruptf(path, "line %d (offset %d): seq %d follows seq %d (a lost or repeated line)", n, off, e.Seq, s.last.seq)
		}
		if err != nil {
			if why := wholeLineMismatch(line, i >= 0, prevPrev, s.last.seq+1); why != "" {
				return s, corruptf(path, "line %d (offset %d): %s", n, off, why)
			}
			if !final || (ack != nil && off < ack.length) {
				return s, corruptf(path, "line %d (offset %d): %v%s", n, off, err, ackNote(ack))
			}
			s.torn = true
			return s, nil
		}
		if err := e.apply(st); err != nil {
			return s, corruptf(path, "line %d (offset %d): %v", n, off, err)
		}
		prevPrev = s.last.digest
		s.last = checkpoint{seq: e.Seq, length: off + int64(i+1), digest: d}
		s.entries++
		if err := s.checkAck(path, n, ack); err != nil {
			return s, err
		}
	}
	if ack != nil && s.last.seq < ack.seq {
		return s, corruptf(path, "the journal ends at offset %d after seq %d, but the mark records writes acknowledged up to seq %d at offset %d: %d entries are lost (the journal was cut or replaced)",
			s.last.length, s.last.seq, ack.seq, ack.length, ack.seq-s.last.seq)
	}
	return s, nil
}

// checkAck compares the line just read (line n) with the acknowledged
// point, when it is that point.
func (s *journalScan) checkAck(path string, n int, ack *checkpoint) error {
	if ack == nil || s.last.seq != ack.seq {
		return nil
	}
	if s.last.length != ack.length || s.last.digest != ack.digest {
		return corruptf(path, "line %d (seq %d) ends at offset %d with digest %s, but the mark recorded offset %d and digest %s: this is not the journal the mark vouches for",
			n, s.last.seq, s.last.length, s.last.digest, ack.length, ack.digest)
	}
	return nil
}

// wholeLineMismatch explains a line that ends with its newline and holds
// a whole journal entry but does not follow the line before it: not a
// torn write (a crash leaves a prefix, or bytes that are not JSON), but a
// repeated, spliced or edited line.
func wholeLineMismatch(line []byte, newline bool, prevPrev digest, seq uint64) string {
	const n = 2 * len(digest{})
	if !newline || len(line) < n+2 || line[n] != ' ' {
		return ""
	}
	body := line[n+1:]
	var e journalEntry
	if json.Unmarshal(body, &e) != nil || e.Op == "" {
		return ""
	}
	switch {
	case chain(prevPrev, body).String() == string(line[:n]):
		return "repeats the line before it (a line written twice)"
	case e.Seq != seq:
		return fmt.Sprintf("seq %d where seq %d should be (lines lost, repeated or spliced in)", e.Seq, seq)
	}
	return "a whole entry whose digest does not follow the line before it (an edited or spliced line)"
}

func ackNote(ack *checkpoint) string {
	if ack == nil {
		return ""
	}
	return fmt.Sprintf(" (the mark records writes acknowledged up to offset %d, so this is not a torn last write)", ack.length)
}
