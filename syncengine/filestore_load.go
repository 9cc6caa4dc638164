package syncengine

import (
	"bytes"
	"errors"
	"os"
)

// pairFiles holds the bytes of a pair's files. They are read mark first,
// then journal, then snapshot: the reverse of the order a compaction
// writes them, so a reader that races one write or one compaction sees
// a combination a crash could have left, which the checks accept.
type pairFiles struct {
	mark, journal, snapshot          []byte
	hasMark, hasJournal, hasSnapshot bool
}

func readPairFiles(base string) (pairFiles, error) {
	var f pairFiles
	var err error
	if f.mark, f.hasMark, err = readIfExists(base + ".mark"); err != nil {
		return f, err
	}
	if f.journal, f.hasJournal, err = readIfExists(base + ".journal"); err != nil {
		return f, err
	}
	f.snapshot, f.hasSnapshot, err = readIfExists(base + ".json")
	return f, err
}

func readIfExists(path string) ([]byte, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	return b, err == nil, err
}

func (f *pairFiles) equal(g *pairFiles) bool {
	return f.hasMark == g.hasMark && f.hasJournal == g.hasJournal && f.hasSnapshot == g.hasSnapshot &&
		bytes.Equal(f.mark, g.mark) && bytes.Equal(f.journal, g.journal) && bytes.Equal(f.snapshot, g.snapshot)
}

// diskState is what a pair's files hold, as the next write needs it.
type diskState struct {
	// legacy: version 1 files; the next write compacts them into version 2.
	legacy bool
	// journal is the id of the journal appended to ("" until the first
	// write of a new pair picks one).
	journal string
	// create: the journal file must be created, header only, before the
	// next append (a new pair, or a crash inside a compaction).
	create  bool
	base    uint64     // the seq the journal's header continues from
	last    checkpoint // the journal's last whole line
	entries int        // entries after the header, for compaction
	torn    bool       // a torn last line follows last; cut before the next append
	// markBehind: the mark does not name this journal yet; it is written
	// before the next append, so that every entry is vouched for.
	markBehind bool
}

// pairPaths are the files of one pair.
type pairPaths struct{ snapshot, journal, mark string }

func pathsOf(base string) pairPaths {
	return pairPaths{snapshot: base + ".json", journal: base + ".journal", mark: base + ".mark"}
}

// decodePair checks a pair's files against one another and returns the
// state they hold. See FileStore for the rules.
func decodePair(base, pair string, f *pairFiles, keepRuns int) (*pairState, diskState, *mark, error) {
	ps := pathsOf(base)
	var snap *fileSnapshot
	var head *journalHead
	var mk *mark
	var err error
	if f.hasSnapshot {
		if snap, err = decodeSnapshot(ps.snapshot, pair, f.snapshot, keepRuns); err != nil {
			return nil, diskState{}, nil, err
		}
	}
	if f.hasJournal {
		if head, err = decodeJournalHead(ps.journal, pair, f.journal); err != nil {
			return nil, diskState{}, nil, err
		}
	}
	if f.hasMark {
		if mk, err = decodeMark(ps.mark, pair, f.mark); err != nil {
			return nil, diskState{}, nil, err
		}
	}
	d := pairDecoder{ps: ps, f: f, snap: snap, head: head, mk: mk, keepRuns: keepRuns}
	st, disk, err := d.decode()
	return st, disk, mk, err
}

type pairDecoder struct {
	ps       pairPaths
	f        *pairFiles
	snap     *fileSnapshot
	head     *journalHead
	mk       *mark
	keepRuns int
}

func (d *pairDecoder) decode() (*pairState, diskState, error) {
	snap, head, mk := d.snap, d.head, d.mk
	switch {
	case head == nil && snap == nil:
		if mk != nil {
			return nil, diskState{}, corruptf(d.ps.journal, "missing, but the mark %s records writes to %s", d.ps.mark, mk)
		}
		return newPairState(d.keepRuns), diskState{create: true, markBehind: true}, nil
	case head == nil:
		return nil, diskState{}, corruptf(d.ps.journal, "missing, but the snapshot %s (seq %d) is always continued by a journal", d.ps.snapshot, snap.seq)
	case head.version == 1:
		return d.decodeV1()
	case snap != nil && snap.version == 1:
		return nil, diskState{}, corruptf(d.ps.journal, "a version 2 journal beside the version 1 snapshot %s", d.ps.snapshot)
	case snap == nil:
		if head.base != 0 {
			return nil, diskState{}, corruptf(d.ps.snapshot, "missing, but the journal %s continues a snapshot at seq %d", d.ps.journal, head.base)
		}
		return d.continueJournal(newPairState(d.keepRuns), nil)
	case head.id == snap.journal:
		if head.base != snap.seq {
			return nil, diskState{}, corruptf(d.ps.journal, "continues from seq %d, but the snapshot %s ends at seq %d", head.base, d.ps.snapshot, snap.seq)
		}
		return d.continueJournal(snap.state, snap.replaces)
	case snap.replaces != nil && snap.replaces.Version == 2 && head.id == snap.replaces.Journal:
		return d.leftoverJournal()
	}
	return nil, diskState{}, corruptf(d.ps.journal, "is journal %s, but the snapshot %s is continued by journal %s (the journal was replaced)",
		head.id, d.ps.snapshot, snap.journal)
}

// continueJournal replays the journal that continues st (the snapshot's
// state, or an empty one), checked against the mark.
func (d *pairDecoder) continueJournal(st *pairState, replaces *journalRef) (*pairState, diskState, error) {
	head, mk := d.head, d.mk
	var ack *checkpoint
	switch {
	case mk == nil:
		// Never marked: only a bare journal (the mark is written before the first append).
	case mk.journal == head.id:
		ack = &mk.at
	case replaces != nil && replaces.Version == 2 && mk.journal == replaces.Journal:
		// A crash after a compaction's renames, before the mark moved on.
		if mk.at.seq > replaces.Seq || mk.at.seq == replaces.Seq && mk.at.digest.String() != replaces.Digest {
			return nil, diskState{}, corruptf(d.ps.mark, "records %s, which is not what the snapshot %s replaced (seq %d, digest %s)",
				mk, d.ps.snapshot, replaces.Seq, replaces.Digest)
		}
	default:
		return nil, diskState{}, corruptf(d.ps.mark, "records writes to journal %s, but the journal %s is %s", mk.journal, d.ps.journal, head.id)
	}
	s, err := scanJournal(d.ps.journal, d.f.journal, head, st, ack)
	if err != nil {
		return nil, diskState{}, err
	}
	if ack == nil && s.entries > 0 {
		if mk == nil {
			return nil, diskState{}, corruptf(d.ps.mark, "missing, but the journal %s holds %d entries (the mark is written before any entry is)", d.ps.journal, s.entries)
		}
		return nil, diskState{}, corruptf(d.ps.mark, "still records the journal the snapshot replaced, but the journal %s holds %d entries", d.ps.journal, s.entries)
	}
	return st, diskState{journal: head.id, base: head.base, last: s.last, entries: s.entries, torn: s.torn, markBehind: ack == nil}, nil
}

// leftoverJournal accepts the journal a snapshot replaced, left by a crash
// between a compaction's renames: the snapshot holds all it had. The
// snapshot's own journal is created before the next write.
func (d *pairDecoder) leftoverJournal() (*pairState, diskState, error) {
	snap, head, mk, r := d.snap, d.head, d.mk, d.snap.replaces
	switch {
	case mk != nil && mk.journal == snap.journal:
		return nil, diskState{}, corruptf(d.ps.journal, "is journal %s, which the snapshot %s replaced, but the mark %s records writes to its successor %s: those are lost",
			head.id, d.ps.snapshot, d.ps.mark, snap.journal)
	case mk != nil && mk.journal != head.id:
		return nil, diskState{}, corruptf(d.ps.mark, "records writes to journal %s, neither the journal %s (%s) nor the snapshot's (%s)",
			mk.journal, d.ps.journal, head.id, snap.journal)
	}
	s, err := scanJournal(d.ps.journal, d.f.journal, head, newPairState(0), nil)
	switch {
	case err != nil:
		return nil, diskState{}, err
	case s.last.seq > r.Seq:
		return nil, diskState{}, corruptf(d.ps.journal, "holds entries up to seq %d, past seq %d where the snapshot %s replaced it",
			s.last.seq, r.Seq, d.ps.snapshot)
	case s.last.seq == r.Seq && s.last.digest.String() != r.Digest:
		return nil, diskState{}, corruptf(d.ps.journal, "seq %d has digest %s, but the snapshot %s replaced a journal with digest %s there",
			r.Seq, s.last.digest, d.ps.snapshot, r.Digest)
	}
	return snap.state, diskState{journal: snap.journal, create: true, base: snap.seq, last: checkpoint{seq: snap.seq}, markBehind: true}, nil
}

// decodeV1 reads a version 1 journal: with a version 1 snapshot or none,
// or, after a crash inside the compaction that upgrades the pair, beside
// the version 2 snapshot that replaced it.
func (d *pairDecoder) decodeV1() (*pairState, diskState, error) {
	snap := d.snap
	if d.mk != nil {
		return nil, diskState{}, corruptf(d.ps.journal, "a version 1 journal beside the mark %s, which only version 2 writes", d.ps.mark)
	}
	if snap != nil && snap.version == 2 {
		r := snap.replaces
		if r == nil || r.Version != 1 {
			return nil, diskState{}, corruptf(d.ps.journal, "a version 1 journal beside the version 2 snapshot %s, which did not replace it", d.ps.snapshot)
		}
		s, err := scanJournalV1(d.ps.journal, d.f.journal, d.head, newPairState(0), r.Seq)
		if err != nil {
			return nil, diskState{}, err
		}
		if s.last.seq > r.Seq {
			return nil, diskState{}, corruptf(d.ps.journal, "holds entries up to seq %d, past seq %d where the snapshot %s replaced it",
				s.last.seq, r.Seq, d.ps.snapshot)
		}
		return snap.state, diskState{journal: snap.journal, create: true, base: snap.seq, last: checkpoint{seq: snap.seq}, markBehind: true}, nil
	}
	st, seq := newPairState(d.keepRuns), uint64(0)
	if snap != nil {
		st, seq = snap.state, snap.seq
	}
	s, err := scanJournalV1(d.ps.journal, d.f.journal, d.head, st, seq)
	if err != nil {
		return nil, diskState{}, err
	}
	return st, diskState{legacy: true, last: s.last, entries: s.entries, torn: s.torn}, nil
}
