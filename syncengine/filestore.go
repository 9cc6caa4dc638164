package syncengine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// FileStore is the embedded default Store: a directory of small files,
// every write durable (fsync'd) before the call returns, safe to share
// between processes that take the pair's Lock before writing.
//
// # Layout
//
// Each pair has three files in the directory, named after the pair with
// every byte outside a-z, 0-9, '.', '_' and '-' written as %XX (so
// "bamboohr->litmos" becomes "bamboohr-%3Elitmos"):
//
//	<pair>.json     snapshot: the pair's whole state as of journal entry "seq"
//	<pair>.journal  changes since the snapshot, one line each
//	<pair>.lock     the pair's lock file (holder pid, host and time)
//
// The snapshot is one JSON object:
//
//	{"format": "rostersync-state", "version": 1, "pair": "a->b", "seq": 120,
//	 "checksum": "<crc32c of data>", "data": {"links": [Link...],
//	 "cursors": {"name": "value"}, "runs": [RunRecord...]}}
//
// Each journal line is "<crc32c hex of the JSON> <JSON>\n". The first is a
// header, {"seq":0,"op":"header","format":"rostersync-journal","version":1,
// "pair":"a->b"}; the others carry "seq" (consecutive, continuing the
// snapshot's) and an "op": put_link {"link"}, delete_link {"collection",
// "a_id"}, put_cursor {"name","value"} or add_run {"run"}. Checksums are
// CRC-32C (Castagnoli), eight lowercase hex digits.
//
// # Durability and recovery
//
// A write appends one line to the journal and fsyncs it. When the journal
// holds more entries than the state has items (and at least
// FileStoreCompactAfter), the state is compacted: the snapshot is written
// to a temporary file in the same directory, fsync'd, renamed over the old
// one and the directory fsync'd; then the journal is replaced the same way
// by a fresh header. Entries whose seq the snapshot already covers are
// skipped on replay, so a crash between the two renames loses nothing and
// doubles nothing. Temporary files left by a crash are ignored, and removed
// when the pair is next locked.
//
// On open, a damaged last journal line (a crash in the middle of an append,
// which was never acknowledged) is dropped, and cut off before the next
// append. Any other damage (a bad checksum or unparsable line before the
// last one, a sequence gap, an unparsable or mismatched snapshot, an
// unknown format or version) makes OpenFileStore fail with an error
// wrapping ErrStateCorrupt that names the file and the line and offset:
// the store never silently starts from nothing.
//
// # Locking
//
// Lock takes a per-pair lock that works across processes: flock(2) on
// <pair>.lock where available (Linux, macOS, BSDs), released by the kernel
// when the holder dies, so never stale. Elsewhere the lock file is created
// with O_CREATE|O_EXCL and removed on unlock; a holder killed without
// unlocking leaves it behind, and it is broken after FileStoreStaleLockAge
// or by ForceUnlock. Taking the lock re-reads the pair's files, so a
// holder sees every write of the previous holders. Processes sharing a
// directory must write a pair only while holding its lock (the engine
// does); the files are written with mode 0600 since links and synced
// values identify people.
type FileStore struct {
	dir string
	cfg fileStoreConfig

	mu    sync.Mutex
	pairs map[string]*filePair
}

var _ Store = (*FileStore)(nil)

type fileStoreConfig struct {
	compactAfter int
	staleAge     time.Duration
	logger       *slog.Logger
	now          func() time.Time
	locker       locker
}

// FileStoreOption configures OpenFileStore.
type FileStoreOption func(*fileStoreConfig)

// FileStoreCompactAfter sets the least number of journal entries before a
// compaction (default 1024). Compaction also waits until the journal
// holds more entries than the state has items, keeping writes amortised O(1).
func FileStoreCompactAfter(n int) FileStoreOption {
	return func(c *fileStoreConfig) { c.compactAfter = n }
}

// FileStoreStaleLockAge breaks lock files older than d on platforms
// without flock(2) (default: never; use ForceUnlock). Set it well above
// the longest run.
func FileStoreStaleLockAge(d time.Duration) FileStoreOption {
	return func(c *fileStoreConfig) { c.staleAge = d }
}

// FileStoreLogger receives a warning when a torn journal line is dropped.
func FileStoreLogger(l *slog.Logger) FileStoreOption {
	return func(c *fileStoreConfig) { c.logger = l }
}

// maxPairName keeps escaped pair names well inside file name limits.
const maxPairName = 100

// OpenFileStore opens (creating if needed, mode 0700) the state directory
// dir and checks every pair's files in it; see FileStore for the format
// and what counts as corrupt.
func OpenFileStore(dir string, opts ...FileStoreOption) (*FileStore, error) {
	cfg := fileStoreConfig{compactAfter: 1024, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.compactAfter < 1 {
		cfg.compactAfter = 1
	}
	if cfg.locker == nil {
		cfg.locker = defaultLocker(cfg.staleAge, cfg.now)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("syncengine: file store: %w", err)
	}
	// Make a newly created directory's own entry durable too.
	if err := syncDir(filepath.Dir(filepath.Clean(dir))); err != nil {
		return nil, fmt.Errorf("syncengine: file store: %w", err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("syncengine: file store: %s is not a directory", dir)
	}
	s := &FileStore{dir: dir, cfg: cfg, pairs: map[string]*filePair{}}
	if err := s.loadAll(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *FileStore) loadAll() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("syncengine: file store: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		stem, ok := strings.CutSuffix(name, ".journal")
		if !ok {
			stem, ok = strings.CutSuffix(name, ".json")
		}
		if !ok || strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		pair, err := unescapePair(stem)
		if err != nil {
			return fmt.Errorf("syncengine: file store: %s: %v: %w", filepath.Join(s.dir, name), err, ErrStateCorrupt)
		}
		p := s.pair(pair)
		p.mu.Lock()
		err = p.load()
		p.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// Close closes the store's open files. Locks taken are released by their
// unlock functions, not by Close.
func (s *FileStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, p := range s.pairs {
		p.mu.Lock()
		errs = append(errs, p.closeJournal())
		p.mu.Unlock()
	}
	return errors.Join(errs...)
}

func (s *FileStore) pair(pair string) *filePair {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pairs[pair]
	if p == nil {
		stem := escapePair(pair)
		p = &filePair{name: pair, base: filepath.Join(s.dir, stem), cfg: &s.cfg}
		s.pairs[pair] = p
	}
	return p
}

// use runs f with pair's state loaded and its mutex held.
func (s *FileStore) use(ctx context.Context, op, pair string, f func(p *filePair) error) error {
	return s.usePair(ctx, op, pair, true, f)
}

func (s *FileStore) usePair(ctx context.Context, op, pair string, load bool, f func(p *filePair) error) error {
	if err := checkPair(ctx, op, pair); err != nil {
		return err
	}
	if len(pair) > maxPairName {
		return fmt.Errorf("syncengine: file store: %s: pair name longer than %d bytes", op, maxPairName)
	}
	p := s.pair(pair)
	p.mu.Lock()
	defer p.mu.Unlock()
	if load {
		if err := p.ensureLoaded(); err != nil {
			return err
		}
	}
	return f(p)
}

// Lock implements Store. See FileStore for how the lock works.
func (s *FileStore) Lock(ctx context.Context, pair string) (func() error, error) {
	var release func() error
	// No load before the lock: taking it re-reads the pair's files anyway.
	err := s.usePair(ctx, "lock", pair, false, func(p *filePair) error {
		var err error
		release, err = s.cfg.locker.acquire(p.base + ".lock")
		if err != nil {
			return fmt.Errorf("syncengine: file store: lock %q: %w", pair, err)
		}
		p.removeTemps()
		if err := p.reload(); err != nil {
			release()
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var once sync.Once
	var uerr error
	return func() error {
		once.Do(func() { uerr = release() })
		return uerr
	}, nil
}

// ForceUnlock breaks the lock of pair left behind by a holder that is
// gone. With flock(2) locks (never stale) it only reports ErrLocked when
// a live process holds the lock.
func (s *FileStore) ForceUnlock(pair string) error {
	return s.use(context.Background(), "force unlock", pair, func(p *filePair) error {
		return s.cfg.locker.force(p.base + ".lock")
	})
}

// Links implements Store.
func (s *FileStore) Links(ctx context.Context, pair string, c Collection) ([]Link, error) {
	var out []Link
	err := s.use(ctx, "links", pair, func(p *filePair) error {
		out = p.state.linkList(c)
		return nil
	})
	return out, err
}

// PutLink implements Store.
func (s *FileStore) PutLink(ctx context.Context, pair string, l Link) error {
	if err := checkLink(l); err != nil {
		return fmt.Errorf("syncengine: file store: put link: %w", err)
	}
	l = cloneLink(l)
	return s.use(ctx, "put link", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutLink, Link: &l})
	})
}

// DeleteLink implements Store.
func (s *FileStore) DeleteLink(ctx context.Context, pair string, c Collection, aID string) error {
	return s.use(ctx, "delete link", pair, func(p *filePair) error {
		if _, ok := p.state.links[c][aID]; !ok {
			return nil
		}
		return p.write(journalEntry{Op: opDeleteLink, Collection: c, AID: aID})
	})
}

// Cursor implements Store.
func (s *FileStore) Cursor(ctx context.Context, pair, name string) (string, error) {
	var v string
	err := s.use(ctx, "cursor", pair, func(p *filePair) error {
		v = p.state.cursors[name]
		return nil
	})
	return v, err
}

// PutCursor implements Store.
func (s *FileStore) PutCursor(ctx context.Context, pair, name, value string) error {
	if name == "" {
		return errors.New("syncengine: file store: put cursor: empty cursor name")
	}
	return s.use(ctx, "put cursor", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutCursor, Name: name, Value: &value})
	})
}

// AddRun implements Store.
func (s *FileStore) AddRun(ctx context.Context, pair string, r RunRecord) error {
	r = cloneRun(r)
	return s.use(ctx, "add run", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opAddRun, Run: &r})
	})
}

// Runs implements Store.
func (s *FileStore) Runs(ctx context.Context, pair string) ([]RunRecord, error) {
	var out []RunRecord
	err := s.use(ctx, "runs", pair, func(p *filePair) error {
		out = p.state.runList()
		return nil
	})
	return out, err
}

// PutDue implements Store.
func (s *FileStore) PutDue(ctx context.Context, pair string, d Due) error {
	if err := checkDue(d); err != nil {
		return fmt.Errorf("syncengine: file store: put due: %w", err)
	}
	return s.use(ctx, "put due", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutDue, Due: &d})
	})
}

// DeleteDue implements Store.
func (s *FileStore) DeleteDue(ctx context.Context, pair string, d Due) error {
	return s.use(ctx, "delete due", pair, func(p *filePair) error {
		if _, ok := p.state.dues[keyOfDue(d)]; !ok {
			return nil
		}
		return p.write(journalEntry{Op: opDeleteDue, Due: &d})
	})
}

// Dues implements Store.
func (s *FileStore) Dues(ctx context.Context, pair string) ([]Due, error) {
	var out []Due
	err := s.use(ctx, "dues", pair, func(p *filePair) error {
		out = p.state.dueList()
		return nil
	})
	return out, err
}

// AddPending implements Store: the entries are in the journal, fsync'd,
// when it returns.
func (s *FileStore) AddPending(ctx context.Context, pair string, ps []Pending) error {
	for _, e := range ps {
		if err := checkPending(e); err != nil {
			return fmt.Errorf("syncengine: file store: add pending: %w", err)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return s.use(ctx, "add pending", pair, func(p *filePair) error {
		// Seqs are computed on a copy so a failed append changes nothing.
		seq := p.state.pendSeq
		entries := make([]Pending, len(ps))
		for i, e := range ps {
			seq++
			e.Seq = seq
			if e.At.IsZero() {
				e.At = time.Now()
			}
			e.At = e.At.UTC()
			if old, ok := p.state.pending[keyOfPending(e)]; ok {
				e.At = old.At
			}
			entries[i] = e
		}
		return p.write(journalEntry{Op: opAddPending, Pending: entries})
	})
}

// Pending implements Store.
func (s *FileStore) Pending(ctx context.Context, pair string) ([]Pending, error) {
	var out []Pending
	err := s.use(ctx, "pending", pair, func(p *filePair) error {
		out = p.state.pendingList()
		return nil
	})
	return out, err
}

// DonePending implements Store.
func (s *FileStore) DonePending(ctx context.Context, pair string, ps []Pending) error {
	if len(ps) == 0 {
		return nil
	}
	return s.use(ctx, "done pending", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opDonePending, Pending: ps})
	})
}

// Lookup implements Store.
func (s *FileStore) Lookup(ctx context.Context, pair, key string) (Lookup, bool, error) {
	var l Lookup
	var ok bool
	err := s.use(ctx, "lookup", pair, func(p *filePair) error {
		l, ok = p.state.lookup(key)
		return nil
	})
	return l, ok, err
}

// PutLookup implements Store.
func (s *FileStore) PutLookup(ctx context.Context, pair, key string, l Lookup) error {
	if key == "" {
		return errors.New("syncengine: file store: put lookup: empty key")
	}
	return s.use(ctx, "put lookup", pair, func(p *filePair) error {
		return p.write(journalEntry{Op: opPutLookup, Name: key, Lookup: &l})
	})
}
