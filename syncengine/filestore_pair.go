package syncengine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// filePair is one pair's files and in-memory state. Its owner holds mu.
type filePair struct {
	mu      sync.Mutex
	name    string
	base    string // directory + escaped name; files add .json, .journal, .mark, .lock
	cfg     *fileStoreConfig
	state   *pairState // nil: not loaded (or dropped after a failed write)
	disk    diskState
	journal *os.File // open for writing once the pair is first written
	mark    markWriter
}

func (p *filePair) ensureLoaded() error {
	if p.state != nil {
		return nil
	}
	return p.load()
}

func (p *filePair) reload() error {
	if err := p.closeFiles(); err != nil {
		return fmt.Errorf("syncengine: file store: %w", err)
	}
	p.state = nil
	return p.load()
}

// loadAttempts bounds the re-reads of files that change while being read.
const loadAttempts = 4

func (p *filePair) load() error {
	var prev *pairFiles
	for attempt := 1; ; attempt++ {
		f, err := readPairFiles(p.base)
		if err != nil {
			return fmt.Errorf("syncengine: file store: %w", err)
		}
		st, disk, mk, err := decodePair(p.base, p.name, &f, p.cfg.keepRuns)
		if err == nil {
			p.use(st, disk, mk)
			return nil
		}
		// A reader without the pair's lock may see a writer's files change
		// between two reads: a verdict stands when two reads agree.
		if !errors.Is(err, ErrStateCorrupt) || attempt == loadAttempts || prev != nil && prev.equal(&f) {
			return err
		}
		prev = &f
	}
}

func (p *filePair) use(st *pairState, disk diskState, mk *mark) {
	if disk.torn && p.cfg.logger != nil {
		p.cfg.logger.Warn("syncengine: file store: dropped a torn last journal line (a write interrupted before it was acknowledged)",
			"file", p.base+".journal", "offset", disk.last.length)
	}
	p.state, p.disk = st, disk
	p.mark = markWriter{path: p.base + ".mark", pair: p.name, sync: p.cfg.fsync}
	if mk != nil {
		p.mark.n = mk.n
	}
}

// write appends e durably (journal, then mark), then applies it to the
// state and compacts when due.
func (p *filePair) write(e journalEntry) error {
	if err := p.prepare(); err != nil {
		return p.fail("prepare the journal", err)
	}
	e.Seq = p.disk.last.seq + 1
	line, d, err := encodeLine(p.disk.last.digest, e)
	if err != nil {
		return fmt.Errorf("syncengine: file store: encode %s: %w", e.Op, err)
	}
	off := p.disk.last.length
	if _, err := p.journal.WriteAt(line, off); err != nil {
		return p.fail("append", err)
	}
	if err := p.cfg.fsync.file(p.journal); err != nil {
		return p.fail("fsync journal", err)
	}
	p.disk.last = checkpoint{seq: e.Seq, length: off + int64(len(line)), digest: d}
	p.disk.entries++
	if err := p.mark.write(p.disk.journal, p.disk.last); err != nil {
		return p.fail("write the mark (the change is in the journal)", err)
	}
	if err := e.apply(p.state); err != nil {
		return p.fail("apply", err)
	}
	if p.disk.entries >= max(p.cfg.compactAfter, p.state.size()) {
		if err := p.compact(); err != nil {
			return p.fail("compact (the change itself is saved)", err)
		}
	}
	return nil
}

// prepare makes the journal ready for an append: version 1 files are
// compacted into version 2, a missing journal is created, a torn tail
// cut off and a mark that lags behind the journal brought up to it.
func (p *filePair) prepare() error {
	if p.disk.legacy {
		if err := p.compact(); err != nil {
			return err
		}
	}
	if p.disk.create {
		if err := p.createJournal(); err != nil {
			return err
		}
	}
	if p.journal == nil {
		f, err := os.OpenFile(p.base+".journal", os.O_RDWR, 0)
		if err != nil {
			return err
		}
		p.journal = f
	}
	if p.disk.torn {
		// Cut the torn line off so the next entry starts on a line of its own.
		if err := p.journal.Truncate(p.disk.last.length); err != nil {
			return err
		}
		if err := p.cfg.fsync.file(p.journal); err != nil {
			return err
		}
		p.disk.torn = false
	}
	if p.disk.markBehind {
		if err := p.mark.write(p.disk.journal, p.disk.last); err != nil {
			return err
		}
		p.disk.markBehind = false
	}
	return nil
}

// createJournal atomically replaces the journal with a bare header that
// continues from p.disk.base.
func (p *filePair) createJournal() error {
	if p.disk.journal == "" {
		p.disk.journal = p.cfg.newID()
	}
	line, d, err := encodeLine(digest{}, headerEntry(p.name, p.disk.journal, p.disk.base))
	if err != nil {
		return err
	}
	if err := p.closeJournal(); err != nil {
		return err
	}
	if err := p.cfg.fsync.writeFileAtomic(p.base+".journal", line); err != nil {
		return err
	}
	p.disk.create, p.disk.torn, p.disk.markBehind = false, false, true
	p.disk.last = checkpoint{seq: p.disk.base, length: int64(len(line)), digest: d}
	p.disk.entries = 0
	return nil
}

// compact writes the snapshot, then a new journal, then the mark. A
// crash between two of these leaves files the load accepts: the snapshot
// names the journal it replaced, and the mark may name either.
func (p *filePair) compact() error {
	replaces := &journalRef{Version: stateVersion, Journal: p.disk.journal, Seq: p.disk.last.seq, Digest: p.disk.last.digest.String()}
	if p.disk.legacy {
		replaces = &journalRef{Version: 1, Seq: p.disk.last.seq}
	}
	id := p.cfg.newID()
	data, err := encodeSnapshot(p.name, p.disk.last.seq, id, replaces, p.state)
	if err != nil {
		return err
	}
	if err := p.cfg.fsync.writeFileAtomic(p.base+".json", data); err != nil {
		return err
	}
	p.disk = diskState{journal: id, create: true, base: p.disk.last.seq}
	if err := p.createJournal(); err != nil {
		return err
	}
	if err := p.mark.write(p.disk.journal, p.disk.last); err != nil {
		return err
	}
	p.disk.markBehind = false
	return nil
}

// fail drops the in-memory state after a failed write, so the next use
// re-reads what the disk really holds.
func (p *filePair) fail(what string, err error) error {
	_ = p.closeFiles()
	p.state = nil
	return fmt.Errorf("syncengine: file store: %s %s: %w", p.name, what, err)
}

func (p *filePair) closeFiles() error {
	return errors.Join(p.closeJournal(), p.mark.close())
}

func (p *filePair) closeJournal() error {
	if p.journal == nil {
		return nil
	}
	err := p.journal.Close()
	p.journal = nil
	return err
}

// pairFileSuffixes are the files of a pair, temporary ones included.
var pairFileSuffixes = []string{".json", ".journal", ".mark"}

// tempFiles lists the temporary files a crashed writer of the pair at
// base left: never read, removed by Lock, moved aside by RepairFileStore.
func tempFiles(base string) []string {
	dir, stem := filepath.Split(base)
	var out []string
	for _, suffix := range pairFileSuffixes {
		// Stems hold no glob metacharacters: escapePair leaves only a-z 0-9 . _ - %.
		names, _ := filepath.Glob(filepath.Join(dir, "."+stem+suffix+".tmp-*"))
		out = append(out, names...)
	}
	return out
}

// removeTemps deletes temporary files a crashed writer of this pair left.
// Call it only while holding the pair's lock.
func (p *filePair) removeTemps() {
	for _, n := range tempFiles(p.base) {
		_ = os.Remove(n) // best effort: temp files are never read
	}
}

// escapePair turns a pair name into a file name stem that is safe on every
// file system, case-insensitive ones too: a-z, 0-9, '_', '-' and (except
// first) '.' are kept, every other byte becomes %XX (uppercase hex).
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

// unescapePair reverses escapePair.
func unescapePair(stem string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(stem); i++ {
		if stem[i] != '%' {
			b.WriteByte(stem[i])
			continue
		}
		if i+2 >= len(stem) {
			return "", errors.New("bad escape in file name")
		}
		v, err := strconv.ParseUint(stem[i+1:i+3], 16, 8)
		if err != nil {
			return "", errors.New("bad escape in file name")
		}
		b.WriteByte(byte(v))
		i += 2
	}
	pair := b.String()
	if escapePair(pair) != stem {
		return "", errors.New("not a file store pair name")
	}
	return pair, nil
}
