package syncengine

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// RepairOptions says what RepairFileStore may do.
type RepairOptions struct {
	// Apply moves the pair's files aside. Without it RepairFileStore only
	// reports what it found and what it would do: a dry run.
	Apply bool
	// Force moves the files aside even when they are intact, to start a
	// pair afresh on purpose.
	Force bool
}

// RepairReport is what RepairFileStore found and did. String renders it
// for a person.
type RepairReport struct {
	Dir  string // the store's directory
	Pair string // the pair checked
	// Damage is why the store refuses the pair's files, an error wrapping
	// ErrStateCorrupt; nil when they are intact.
	Damage error
	// Files are the pair's files, temporary ones included, by name.
	Files []RepairFile
	// Readable counts what the files still hold up to the damage, read
	// without the checks that refused them: what the fresh start gives up.
	Readable StateCounts
	// Aside is the directory the files are moved to, or would be.
	Aside string
	// Moved reports that the files are in Aside and the pair starts afresh.
	Moved bool
}

// RepairFile is one file of a pair.
type RepairFile struct {
	Name string // the file's name in the store's directory
	Size int64  // its size in bytes
}

// StateCounts counts the items of a pair's state.
type StateCounts struct {
	Links   map[Collection]int // links per collection
	Cursors int                // named cursors
	Runs    int                // entries of the run history
	Dues    int                // due times
	Pending int                // records pending from events
	Lookups int                // cached lookups
}

// RepairFileStore checks the files of pair in the file store directory
// dir and reports what is damaged, what the files still hold and where
// they would go. With opts.Apply, and when they are damaged (or
// opts.Force), it moves them into a new directory
// damaged-<pair>-<UTC time>/ in dir, never deleting anything, and the
// pair starts afresh. Other pairs are not touched. It takes the pair's
// lock, so it fails with ErrLocked while a sync of the pair runs; call it
// with no FileStore of this process holding the pair.
//
// What the next run does after a fresh start: it links records again by
// the pair's match keys (external id, email), so records already created
// on the other side are found and linked, not created twice; its cursors
// are gone, so it reads everything; due times and cached lookups are
// worked out again from the records and the vendors. What is lost for
// good: the two-way synced values (Link.Synced), so the first two-way run
// cannot tell which side changed a field that differs and reports each
// as a conflict, settled by the pair's ConflictPolicy (by default written
// neither way) instead of guessing; event work still pending (the full
// run covers it); and the run history, which stays in the moved files.
func RepairFileStore(dir, pair string, opts RepairOptions) (*RepairReport, error) {
	return repairFileStore(dir, pair, opts, newFileStoreConfig(nil))
}

func repairFileStore(dir, pair string, opts RepairOptions, cfg fileStoreConfig) (*RepairReport, error) {
	if pair == "" || len(pair) > maxPairName {
		return nil, fmt.Errorf("syncengine: repair file store: pair name %q: empty or longer than %d bytes", pair, maxPairName)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("syncengine: repair file store: %s is not a directory", dir)
	}
	p := &filePair{name: pair, base: filepath.Join(dir, escapePair(pair)), cfg: &cfg}
	release, err := cfg.locker.acquire(p.base + ".lock")
	if err != nil {
		return nil, fmt.Errorf("syncengine: repair file store: lock %q: %w", pair, err)
	}
	defer release()
	r := &RepairReport{Dir: dir, Pair: pair}
	if err := p.load(); errors.Is(err, ErrStateCorrupt) {
		r.Damage = err
	} else if err != nil {
		return nil, err
	}
	_ = p.closeFiles()
	if r.Files, err = listPairFiles(p.base); err != nil {
		return nil, err
	}
	r.Readable = salvage(p.base, pair)
	r.Aside = asideDir(dir, escapePair(pair), cfg.now())
	if !opts.Apply || len(r.Files) == 0 || r.Damage == nil && !opts.Force {
		return r, nil
	}
	return r, r.moveAside(cfg.fsync)
}

// listPairFiles lists the files of the pair at base that exist.
func listPairFiles(base string) ([]RepairFile, error) {
	names := tempFiles(base)
	for _, suffix := range pairFileSuffixes {
		names = append(names, base+suffix)
	}
	var out []RepairFile
	for _, n := range names {
		fi, err := os.Stat(n)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("syncengine: repair file store: %w", err)
		}
		out = append(out, RepairFile{Name: filepath.Base(n), Size: fi.Size()})
	}
	slices.SortFunc(out, func(a, b RepairFile) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func asideDir(dir, stem string, now time.Time) string {
	base := filepath.Join(dir, "damaged-"+stem+"-"+now.UTC().Format("20060102T150405Z"))
	path := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return path
		}
		path = fmt.Sprintf("%s-%d", base, i)
	}
}

// moveAside renames the files into r.Aside, then makes the renames durable.
func (r *RepairReport) moveAside(sync fsyncer) error {
	if err := os.Mkdir(r.Aside, 0o700); err != nil {
		return fmt.Errorf("syncengine: repair file store: %w", err)
	}
	for _, f := range r.Files {
		if err := os.Rename(filepath.Join(r.Dir, f.Name), filepath.Join(r.Aside, f.Name)); err != nil {
			return fmt.Errorf("syncengine: repair file store: move %s aside (the files before it are in %s): %w", f.Name, r.Aside, err)
		}
	}
	if err := errors.Join(sync.dir(r.Aside), sync.dir(r.Dir)); err != nil {
		return fmt.Errorf("syncengine: repair file store: %w", err)
	}
	r.Moved = true
	return nil
}

// salvage reads what it can of the pair's files, skipping the checks
// between them: the snapshot if it decodes, then the journal's entries up
// to the first bad one, when the journal continues that snapshot.
func salvage(base, pair string) StateCounts {
	ps := pathsOf(base)
	st := newPairState(0)
	var snap *fileSnapshot
	if b, err := os.ReadFile(ps.snapshot); err == nil {
		if snap, err = decodeSnapshot(ps.snapshot, pair, b, 0); err == nil {
			st = snap.state
		}
	}
	b, err := os.ReadFile(ps.journal)
	if err != nil {
		return st.counts()
	}
	h, err := decodeJournalHead(ps.journal, pair, b)
	switch {
	case err != nil:
	case h.version == 1 && (snap == nil || snap.version == 1):
		seq := uint64(0)
		if snap != nil {
			seq = snap.seq
		}
		_, _ = scanJournalV1(ps.journal, b, h, st, seq) // entries up to the damage are applied
	case h.version == 2 && (snap == nil && h.base == 0 || snap != nil && snap.journal == h.id):
		_, _ = scanJournal(ps.journal, b, h, st, nil)
	}
	return st.counts()
}

func (p *pairState) counts() StateCounts {
	c := StateCounts{Links: map[Collection]int{}, Cursors: len(p.cursors), Runs: len(p.runs),
		Dues: len(p.dues), Pending: len(p.pending), Lookups: len(p.lookups)}
	for coll, m := range p.links {
		if len(m) > 0 {
			c.Links[coll] = len(m)
		}
	}
	return c
}

// String renders the counts: "12 links (teams 1, users 11), 2 cursors, ...".
func (c StateCounts) String() string {
	total := 0
	var by []string
	for _, coll := range slices.Sorted(maps.Keys(c.Links)) {
		total += c.Links[coll]
		by = append(by, fmt.Sprintf("%s %d", coll, c.Links[coll]))
	}
	links := fmt.Sprintf("%d links", total)
	if len(by) > 0 {
		links += " (" + strings.Join(by, ", ") + ")"
	}
	return fmt.Sprintf("%s, %d cursors, %d runs, %d due times, %d pending records, %d cached lookups",
		links, c.Cursors, c.Runs, c.Dues, c.Pending, c.Lookups)
}

// String renders the report for the person deciding whether to repair.
func (r *RepairReport) String() string {
	var b strings.Builder
	switch {
	case len(r.Files) == 0:
		fmt.Fprintf(&b, "Pair %q in %s has no files: it starts afresh already.\n", r.Pair, r.Dir)
		return b.String()
	case r.Damage != nil:
		fmt.Fprintf(&b, "Pair %q in %s is damaged:\n  %v\n", r.Pair, r.Dir, r.Damage)
	default:
		fmt.Fprintf(&b, "Pair %q in %s is intact.\n", r.Pair, r.Dir)
	}
	fmt.Fprintf(&b, "Readable in its files: %s.\n", r.Readable)
	verb := "Would move"
	switch {
	case r.Moved:
		verb = "Moved"
	case r.Damage == nil:
		verb = "Would move (only when forced)"
	}
	fmt.Fprintf(&b, "%s these files to %s (nothing is deleted):\n", verb, r.Aside)
	for _, f := range r.Files {
		fmt.Fprintf(&b, "  %s (%d bytes)\n", f.Name, f.Size)
	}
	b.WriteString("Then the pair starts afresh: the next run links records again by their match keys, " +
		"so none is created twice, and reads everything, its cursors gone. " +
		"Two-way synced values are lost: the first two-way run reports each field that differs as a conflict " +
		"instead of guessing which side changed it. Pending event work and the run history stay in the moved files.\n")
	return b.String()
}
