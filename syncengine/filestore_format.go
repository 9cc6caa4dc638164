package syncengine

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// ErrStateCorrupt is wrapped by errors from OpenFileStore and FileStore
// methods when a pair's state files are damaged or incomplete (anything
// beyond a torn final journal line that was never acknowledged), or are of
// a format or version this build does not read. The error names the file
// and, where it applies, the line and byte offset. RepairFileStore shows
// what is damaged and moves the files aside so the pair starts afresh.
var ErrStateCorrupt = errors.New("syncengine: state file is corrupt")

const (
	snapshotFormat = "rostersync-state"
	journalFormat  = "rostersync-journal"
	markFormat     = "rostersync-mark"
	// stateVersion is the version this build writes. It reads version 1
	// (no mark, CRC-32C lines) and stateVersion.
	stateVersion = 2
)

// digest is a truncated SHA-256: the integrity check of every version 2
// file, and the link of the journal's hash chain.
type digest [16]byte

// chain returns the digest of body following prev: SHA-256(prev || body),
// first 16 bytes. The first line of a journal follows the zero digest.
func chain(prev digest, body []byte) digest {
	h := sha256.New()
	h.Write(prev[:])
	h.Write(body)
	var d digest
	copy(d[:], h.Sum(nil))
	return d
}

func (d digest) String() string { return hex.EncodeToString(d[:]) }

func parseDigest(s string) (digest, error) {
	var d digest
	if len(s) != 2*len(d) {
		return d, fmt.Errorf("digest %q is not %d hex digits", s, 2*len(d))
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return d, fmt.Errorf("digest %q is not hex", s)
	}
	if d.String() != s {
		return d, fmt.Errorf("digest %q is not lowercase hex", s)
	}
	return d, nil
}

// newJournalID returns a random journal id: 32 lowercase hex digits.
func newJournalID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// journalEntry is one line of <pair>.journal (both versions).
type journalEntry struct {
	Seq        uint64     `json:"seq"`
	Op         string     `json:"op"`
	Format     string     `json:"format,omitempty"`
	Version    int        `json:"version,omitempty"`
	Pair       string     `json:"pair,omitempty"`
	Journal    string     `json:"journal,omitempty"` // header, version 2: the journal's id
	Link       *Link      `json:"link,omitempty"`
	Collection Collection `json:"collection,omitempty"`
	AID        string     `json:"a_id,omitempty"`
	Name       string     `json:"name,omitempty"`
	Value      *string    `json:"value,omitempty"`
	Run        *RunRecord `json:"run,omitempty"`
	Due        *Due       `json:"due,omitempty"`
	Pending    []Pending  `json:"pending,omitempty"`
	Key        string     `json:"key,omitempty"`
	Lookup     *Lookup    `json:"lookup,omitempty"`
}

// Journal operations. The names are part of the file format.
const (
	opHeader      = "header"
	opPutLink     = "put_link"
	opDeleteLink  = "delete_link"
	opPutCursor   = "put_cursor"
	opAddRun      = "add_run"
	opPutDue      = "put_due"
	opDeleteDue   = "delete_due"
	opAddPending  = "add_pending" // the entries with the Seqs the store gave them
	opDonePending = "done_pending"
	opPutLookup   = "put_lookup"
)

// encodeLine renders e as a version 2 line, "<digest> <json>\n", and
// returns the digest that the next line follows.
func encodeLine(prev digest, e journalEntry) ([]byte, digest, error) {
	j, err := json.Marshal(e)
	if err != nil {
		return nil, digest{}, err
	}
	d := chain(prev, j)
	line := make([]byte, 0, len(j)+34)
	line = append(line, d.String()...)
	line = append(line, ' ')
	line = append(line, j...)
	return append(line, '\n'), d, nil
}

// decodeLine parses a version 2 line without its newline.
func decodeLine(prev digest, line []byte) (journalEntry, digest, error) {
	var e journalEntry
	const n = 2 * len(digest{})
	if len(line) < n+2 || line[n] != ' ' {
		return e, digest{}, errors.New("not a line of the form \"<digest> <json>\"")
	}
	body := line[n+1:]
	d := chain(prev, body)
	if d.String() != string(line[:n]) {
		return e, d, errors.New("digest mismatch: the line is damaged, or does not follow the line before it")
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return e, d, fmt.Errorf("bad JSON: %w", err)
	}
	return e, d, nil
}

func headerEntry(pair, id string, base uint64) journalEntry {
	return journalEntry{Seq: base, Op: opHeader, Format: journalFormat, Version: stateVersion, Pair: pair, Journal: id}
}

// apply replays one journal entry onto st.
func (e journalEntry) apply(st *pairState) error {
	switch e.Op {
	case opPutLink:
		if e.Link == nil {
			return errors.New("put_link without a link")
		}
		if err := CheckLink(*e.Link); err != nil {
			return err
		}
		st.putLink(*e.Link)
	case opDeleteLink:
		st.deleteLink(e.Collection, e.AID)
	case opPutCursor:
		if e.Value == nil {
			return errors.New("put_cursor without a value")
		}
		if err := checkCursor(e.Name, *e.Value); err != nil {
			return err
		}
		st.cursors[e.Name] = *e.Value
	case opAddRun:
		if e.Run == nil {
			return errors.New("add_run without a run")
		}
		st.addRun(*e.Run)
	case opPutDue, opDeleteDue:
		if e.Due == nil {
			return fmt.Errorf("%s without a due time", e.Op)
		}
		if e.Op == opDeleteDue {
			st.deleteDue(*e.Due)
			return nil
		}
		if err := checkDue(*e.Due); err != nil {
			return err
		}
		st.putDue(*e.Due)
	case opAddPending:
		for _, p := range e.Pending {
			if err := checkPending(p); err != nil {
				return err
			}
			st.putPending(p)
		}
	case opDonePending:
		st.donePending(e.Pending)
	case opPutLookup:
		if e.Lookup == nil {
			return errors.New("put_lookup without a value")
		}
		if err := checkLookupKey(e.Key); err != nil {
			return err
		}
		st.putLookup(e.Key, *e.Lookup)
	default:
		return fmt.Errorf("unknown operation %q", e.Op)
	}
	return nil
}

func corruptf(path, format string, args ...any) error {
	return fmt.Errorf("syncengine: file store: %s: %s: %w", path, fmt.Sprintf(format, args...), ErrStateCorrupt)
}

func jsonOffset(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return " at offset " + strconv.FormatInt(se.Offset, 10)
	}
	return ""
}

// versionProbe reads the fields every version of every file has.
type versionProbe struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
}

// checkVersion refuses a format or version this build does not read;
// oldest is the first version that had this kind of file.
func checkVersion(path, wantFormat string, p versionProbe, oldest int) error {
	switch {
	case p.Format != wantFormat:
		return corruptf(path, "format %q, want %q", p.Format, wantFormat)
	case p.Version > stateVersion:
		return corruptf(path, "version %d is newer than this build reads (%d): use a newer rostersync, or RepairFileStore to start the pair afresh",
			p.Version, stateVersion)
	case p.Version < oldest:
		return corruptf(path, "version %d has no such file (it first appeared in version %d)", p.Version, oldest)
	}
	return nil
}

// fsyncer makes a file's writes durable: (*os.File).Sync, or for tests of
// the format alone, which make thousands of files, a no-op.
type fsyncer func(*os.File) error

func (sync fsyncer) file(f *os.File) error { return sync(f) }

// writeFileAtomic replaces path with data: temp file in the same
// directory, fsync, rename over, fsync the directory.
func (sync fsyncer) writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := sync(tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return sync.dir(dir)
}

// dir makes the entries of dir (a rename, a new file) durable.
func (sync fsyncer) dir(dir string) error {
	if dir == "" {
		dir = "."
	}
	if runtime.GOOS == "windows" {
		return nil // Windows cannot fsync a directory; its renames are journaled by NTFS.
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return sync(d)
}
