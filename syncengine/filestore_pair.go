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
	base    string // directory + escaped name; files add .json, .journal, .lock
	cfg     *fileStoreConfig
	state   *pairState // nil: not loaded (or dropped after a failed write)
	scan    journalScan
	journal *os.File // open for writing once the pair is first written
}

func (p *filePair) ensureLoaded() error {
	if p.state != nil {
		return nil
	}
	return p.load()
}

func (p *filePair) reload() error {
	if err := p.closeJournal(); err != nil {
		return fmt.Errorf("syncengine: file store: %w", err)
	}
	p.state = nil
	return p.load()
}

func (p *filePair) load() error {
	st, seq, err := readSnapshot(p.base+".json", p.name)
	if err != nil {
		return err
	}
	scan, err := replayJournal(p.base+".journal", p.name, st, seq)
	if err != nil {
		return err
	}
	if scan.torn && p.cfg.logger != nil {
		p.cfg.logger.Warn("syncengine: file store: dropped a torn last journal line (a write interrupted before it was acknowledged)",
			"file", p.base+".journal", "offset", scan.goodLen)
	}
	p.state, p.scan = st, scan
	return nil
}

// write appends e durably, then applies it to the state and compacts when due.
func (p *filePair) write(e journalEntry) error {
	if err := p.openJournal(); err != nil {
		return p.fail("open journal", err)
	}
	e.Seq = p.scan.seq + 1
	line, err := encodeLine(e)
	if err != nil {
		return fmt.Errorf("syncengine: file store: encode %s: %w", e.Op, err)
	}
	if _, err := p.journal.WriteAt(line, p.scan.goodLen); err != nil {
		return p.fail("append", err)
	}
	if err := p.journal.Sync(); err != nil {
		return p.fail("fsync journal", err)
	}
	p.scan.goodLen += int64(len(line))
	p.scan.seq = e.Seq
	p.scan.entries++
	if err := e.apply(p.state); err != nil {
		return p.fail("apply", err)
	}
	if p.scan.entries >= max(p.cfg.compactAfter, p.state.size()) {
		if err := p.compact(); err != nil {
			return p.fail("compact (the change itself is saved)", err)
		}
	}
	return nil
}

// fail drops the in-memory state after a failed write, so the next use
// re-reads what the disk really holds.
func (p *filePair) fail(what string, err error) error {
	_ = p.closeJournal()
	p.state = nil
	return fmt.Errorf("syncengine: file store: %s %s: %w", p.name, what, err)
}

func (p *filePair) openJournal() error {
	if p.journal != nil {
		return nil
	}
	path := p.base + ".journal"
	if !p.scan.exists || p.scan.goodLen == 0 {
		if err := p.resetJournal(); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if p.scan.torn {
		// Cut the torn line off so the next entry starts on a line of its own.
		if err := f.Truncate(p.scan.goodLen); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		p.scan.torn = false
	}
	p.journal = f
	return nil
}

// resetJournal atomically replaces the journal with a bare header.
func (p *filePair) resetJournal() error {
	line, err := encodeLine(headerEntry(p.name))
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p.base+".journal", line); err != nil {
		return err
	}
	p.scan = journalScan{seq: p.scan.seq, exists: true, goodLen: int64(len(line))}
	return nil
}

// compact writes the snapshot, then resets the journal. A crash between
// the two leaves journal entries the snapshot covers; replay skips them.
func (p *filePair) compact() error {
	data, err := encodeSnapshot(p.name, p.scan.seq, p.state)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p.base+".json", data); err != nil {
		return err
	}
	if err := p.closeJournal(); err != nil {
		return err
	}
	return p.resetJournal()
}

func (p *filePair) closeJournal() error {
	if p.journal == nil {
		return nil
	}
	err := p.journal.Close()
	p.journal = nil
	return err
}

// removeTemps deletes temporary files a crashed writer of this pair left.
// Call it only while holding the pair's lock.
func (p *filePair) removeTemps() {
	dir, stem := filepath.Split(p.base)
	for _, suffix := range []string{".json.tmp-*", ".journal.tmp-*"} {
		names, _ := filepath.Glob(filepath.Join(dir, "."+stem+suffix))
		for _, n := range names {
			_ = os.Remove(n) // best effort: temp files are never read
		}
	}
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
