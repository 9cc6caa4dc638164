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
// between processes that take the pair's Lock before writing. Everything
// below is a stable format: later builds read it, and refuse what they
// cannot read rather than guess.
//
// # Layout
//
// Each pair has up to four files in the directory, named after the pair
// with every byte outside a-z, 0-9, '_', '-' and '.' (except a leading
// one) written as %XX in uppercase hex, so "bamboohr->litmos" becomes
// "bamboohr-%3Elitmos" and "BambooHR" becomes "%42amboo%48%52":
//
//	<pair>.json     snapshot: the pair's whole state as of one journal entry
//	<pair>.journal  append-only: the changes since the snapshot, a line each
//	<pair>.mark     how far the journal was written when a write returned
//	<pair>.lock     the pair's lock file (holder pid, host and time)
//
// Files and directories starting with "." are temporary (a crash can leave
// .<pair>.json.tmp-*); Lock removes them. RepairFileStore moves damaged
// files into a directory damaged-<pair>-<time>/ beside them. Names ending
// in .json, .journal or .mark are the store's; other names are ignored.
//
// # Format, version 2
//
// Digests are the first 16 bytes of SHA-256, written as 32 lowercase hex
// digits. They guard against damage, not against someone who rewrites the
// files on purpose. The snapshot is one JSON object on one line:
//
//	{"format":"rostersync-state","version":2,"digest":"<digest of state>",
//	 "state":{"pair":"a->b","seq":120,"journal":"<id>",
//	  "replaces":{"journal":"<id>","version":2,"seq":120,"digest":"<d>"},
//	  "links":[Link...],"cursors":{"name":"value"},"runs":[RunRecord...],
//	  "dues":[Due...],"pending":[Pending...],"pending_seq":7,
//	  "lookups":{"key":Lookup}}}
//
// "seq" is the last journal entry the snapshot holds, "journal" the random
// id of the journal that continues it and "replaces" the journal it was
// compacted from and how far that one had come ({"version":1,"seq":N} for
// a version 1 journal). The journal's lines are "<digest> <json>\n", each
// digest taken over the previous line's digest (zero bytes for the first
// line) followed by the line's JSON: a hash chain. The first line is the
// header, {"seq":120,"op":"header","format":"rostersync-journal",
// "version":2,"pair":"a->b","journal":"<id>"}, whose seq is the snapshot's
// (0 for a pair never compacted); each following line carries the next
// seq and an "op": put_link {"link"}, delete_link {"collection","a_id"},
// put_cursor {"name","value"}, add_run {"run"}, put_due {"due"},
// delete_due {"due"}, add_pending {"pending":[Pending...]} (the entries
// with the Seqs the store gave them), done_pending {"pending"} or
// put_lookup {"key","lookup"}. The mark has two slots, at offsets 0 and
// 4096, each "<digest of json> <json>\n" with {"format":"rostersync-mark",
// "version":2,"pair":"a->b","n":9,"journal":"<id>","seq":135,
// "length":4870,"digest":"<digest of line 135>"}; the valid slot with the
// larger n counts, and the next write goes to the other slot, so a torn
// write of one leaves the other. The JSON of Link, RunRecord, Due,
// Pending and Lookup is their field tags. Times are RFC 3339 in UTC and
// Lookup.Value is base64. Link.Synced, written by the engine for two-way
// pairs, maps "a.<field>" and "b.<field>" (the field in that system's own
// name, "@active" for the active flag) to the canonical value (Canonical)
// last synced into that side.
//
// # Durability
//
// A write appends one line to the journal and fsyncs it, then writes the
// mark and fsyncs it, then returns: two fsyncs a write (BenchmarkStorePutLink
// measures about 0.4 ms on a cloud VM's disk, against the hundreds of
// milliseconds of a vendor's API call). A write that fails may or may not
// be saved. When the journal holds more entries
// than the state has items (and at least FileStoreCompactAfter), the pair
// is compacted: a new snapshot naming a new journal id, then the new
// journal (a bare header), then the mark, each written to a temporary file
// in the same directory, fsync'd and renamed over the old one (the mark is
// updated in place), and the directory fsync'd.
//
// # What a load refuses
//
// OpenFileStore and Lock read every file of a pair and check them against
// one another; anything that is not the work of a crash is refused with an
// error wrapping ErrStateCorrupt that names the file, and the line and
// byte offset where it applies. The store never silently starts from less
// than it acknowledged. A crash can only leave (a) a torn journal line
// after the last acknowledged one, because nothing is acknowledged before
// its line and then the mark are fsync'd; (b) whole lines after the mark
// (the process died between the journal's fsync and the mark's); (c) a
// torn mark slot, the other slot whole; (d) inside a compaction, the new
// snapshot beside the journal it replaced, or the new journal beside a
// mark that still names the old one; (e) a bare journal and no mark, on a
// pair's first write. These load: (a) is dropped and cut off before the
// next append, the rest is used as it is. Everything else is loss:
//
//   - A journal cut anywhere before the mark's length, by a whole number
//     of lines or in the middle of one, misses acknowledged entries: the
//     mark records the seq, byte length and chain digest of the last one.
//     The journal alone cannot tell: a journal cut inside a line ends the
//     way a crash mid-append leaves it (a prefix of a line), and one cut
//     between two lines ends like a whole journal; the chain proves what
//     is there, not what is missing at the end. Nor can the snapshot, which
//     is only rewritten at compactions. So the mark is written after each
//     append and before the write returns, and only a cut after its length
//     (a crash's torn line, or lines never acknowledged) is let through.
//   - A damaged, edited, spliced or repeated line breaks the chain; a
//     line that is whole (JSON and newline) but does not follow its
//     predecessor is damage even when it is the last one, since a crash
//     leaves a prefix, not a whole line.
//   - A journal missing or empty beside a snapshot or a mark, a journal of
//     another pair or another generation (its id is not the one the
//     snapshot and the mark name), a snapshot missing beside a journal
//     that continues one (the header's seq is not 0), and a mark missing
//     beside a journal that has entries, or naming another journal.
//   - A snapshot, journal header or mark of another pair, a digest or
//     checksum mismatch in any file, a file that does not parse, an unknown
//     format, or a version newer than this build reads.
//
// What cannot be told from a crash, and so is not detected: a cut after
// the mark (nothing acknowledged is lost), the journal and the mark both
// rolled back to an older consistent pair of files (e.g. restored from a
// backup) beside a newer snapshot, and the whole directory restored from
// a backup, which is a consistent older state. A pair with no files at all
// is a new pair. A reader that does not hold the pair's lock reads the
// files again when they changed under it, so it does not mistake a write
// or compaction in progress for damage.
//
// # Version 1
//
// Version 1 files, as earlier builds wrote them, are still read: a
// snapshot {"format":"rostersync-state","version":1,"pair","seq",
// "checksum":"<crc32c of data>","data":{...}} and journal lines
// "<crc32c hex> <json>\n" with a header of seq 0 and no mark; the journal
// may hold entries the snapshot already has (a crash between the two
// renames), which are skipped. They carry no mark, so a version 1 journal
// cut between two lines is not detected. The first write to such a pair
// compacts it into version 2 files; until then it is only read, and a
// build that reads only version 1 refuses version 2 files.
//
// # Run history
//
// The store keeps the last DefaultKeepRuns runs of each pair (see
// FileStoreKeepRuns); older ones are dropped from the snapshot at the next
// compaction, so the files do not grow without bound.
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
//
// # Repair
//
// When a pair's files are refused, RepairFileStore says what is damaged,
// then moves the files aside and the pair starts afresh; see it for what
// the next run does.
type FileStore struct {
	dir string
	cfg fileStoreConfig

	mu    sync.Mutex
	pairs map[string]*filePair
}

var _ Store = (*FileStore)(nil)

type fileStoreConfig struct {
	compactAfter int
	keepRuns     int
	staleAge     time.Duration
	logger       *slog.Logger
	now          func() time.Time
	newID        func() string
	fsync        fsyncer
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

// FileStoreKeepRuns sets how many runs of each pair's history the store
// keeps, the most recent ones (default DefaultKeepRuns). n < 1 keeps
// every run, and the files then grow with each.
func FileStoreKeepRuns(n int) FileStoreOption {
	return func(c *fileStoreConfig) { c.keepRuns = n }
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
// and what counts as corrupt. It fails, with an error wrapping
// ErrStateCorrupt and naming the file, when any pair's files are damaged:
// RepairFileStore shows and repairs that pair.
func OpenFileStore(dir string, opts ...FileStoreOption) (*FileStore, error) {
	cfg := newFileStoreConfig(opts)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("syncengine: file store: %w", err)
		}
		// Make the new directory's own entry durable too.
		if err := cfg.fsync.dir(filepath.Dir(filepath.Clean(dir))); err != nil {
			return nil, fmt.Errorf("syncengine: file store: %w", err)
		}
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

func newFileStoreConfig(opts []FileStoreOption) fileStoreConfig {
	cfg := fileStoreConfig{compactAfter: 1024, keepRuns: DefaultKeepRuns, now: time.Now, newID: newJournalID, fsync: (*os.File).Sync}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.compactAfter = max(cfg.compactAfter, 1)
	if cfg.locker == nil {
		cfg.locker = defaultLocker(cfg.staleAge, cfg.now)
	}
	return cfg
}

// Dir returns the state directory the store was opened on.
func (s *FileStore) Dir() string { return s.dir }

func (s *FileStore) loadAll() error {
	pairs, err := pairsIn(s.dir)
	if err != nil {
		return err
	}
	for _, pair := range pairs {
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

// pairsIn lists the pairs that have files in dir, in file name order.
func pairsIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("syncengine: file store: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		for _, suffix := range pairFileSuffixes {
			stem, ok := strings.CutSuffix(name, suffix)
			if !ok {
				continue
			}
			pair, err := unescapePair(stem)
			if err != nil {
				return nil, fmt.Errorf("syncengine: file store: %s: %v: %w", filepath.Join(dir, name), err, ErrStateCorrupt)
			}
			if !seen[pair] {
				seen[pair] = true
				out = append(out, pair)
			}
		}
	}
	return out, nil
}

// Close closes the store's open files. Locks taken are released by their
// unlock functions, not by Close.
func (s *FileStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, p := range s.pairs {
		p.mu.Lock()
		errs = append(errs, p.closeFiles())
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
