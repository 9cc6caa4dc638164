package syncengine

import (
	"context"
	"errors"
	"time"
)

// Link ties a record in system A to its counterpart in system B, with the
// values last synced between them (canonical strings, keyed by the engine)
// so that a two-way sync can tell which side changed a field.
type Link struct {
	Collection Collection        `json:"collection"`
	AID        string            `json:"a_id"`
	BID        string            `json:"b_id"`
	Synced     map[string]string `json:"synced,omitempty"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// RunRecord is one entry of a pair's run history.
type RunRecord struct {
	ID         string         `json:"id"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt time.Time      `json:"finished_at"`
	DryRun     bool           `json:"dry_run"`
	Counts     map[string]int `json:"counts,omitempty"` // by action: "create", "update", "error", ...
	Err        string         `json:"error,omitempty"`
}

// Store keeps what the engine must remember between runs for a pair of
// connectors (named by pair, e.g. "bamboohr->litmos"). Every write is
// durable when the call returns: a process killed after PutLink returns
// must find the link on the next run. A write that fails may or may not
// have been saved. Implementations are safe for concurrent use, return
// copies (a caller changing what it got or gave changes nothing stored),
// and return times in UTC. syncenginetest.RunStoreTests checks an
// implementation against this contract.
type Store interface {
	// Lock takes the pair's lock; it fails with ErrLocked when another
	// holder (another process, for durable stores) has it. unlock releases it.
	// A store whose lock is a lease (syncengine/pgstore) may lose it while
	// it is held, when the lease expires or another process takes it over:
	// the holder's writes of the pair then fail with an error wrapping
	// ErrLocked and change nothing, and the engine stops the run.
	Lock(ctx context.Context, pair string) (unlock func() error, err error)

	// Links returns the pair's links for collection c, ordered by A id
	// (byte order): the engine plans fastest that way.
	Links(ctx context.Context, pair string, c Collection) ([]Link, error)
	// PutLink adds or replaces the link for (l.Collection, l.AID).
	PutLink(ctx context.Context, pair string, l Link) error
	// DeleteLink removes the link for (c, aID); absent is not an error.
	DeleteLink(ctx context.Context, pair string, c Collection, aID string) error

	// Cursor returns a named cursor ("" when never set).
	Cursor(ctx context.Context, pair, name string) (string, error)
	// PutCursor stores a named cursor.
	PutCursor(ctx context.Context, pair, name, value string) error

	// AddRun appends to the pair's run history; Runs returns it, oldest
	// first. A store may keep only the most recent runs (the stores of
	// this package keep DefaultKeepRuns unless told otherwise).
	AddRun(ctx context.Context, pair string, r RunRecord) error
	Runs(ctx context.Context, pair string) ([]RunRecord, error)

	// PutDue records that a record falls due (replacing the due time of
	// the same Collection, Side, ID and Kind); DeleteDue forgets the one
	// with d's Collection, Side, ID and Kind, whatever d.At (absent is not
	// an error); Dues lists the pair's due times ordered by At, equal
	// times by Collection, Side, ID and Kind.
	PutDue(ctx context.Context, pair string, d Due) error
	DeleteDue(ctx context.Context, pair string, d Due) error
	Dues(ctx context.Context, pair string) ([]Due, error)

	// AddPending records, durably before it returns, records an event
	// named and the engine has not synced yet, each with the next Seq of
	// the pair (Seqs only grow, across restarts too) and, when At is zero,
	// the time it was added. A record (Collection, Side, ID) already
	// pending is not added twice: it takes the new Seq and keeps the At of
	// its first event (coalescing). Pending lists what is pending ordered
	// by Seq; DonePending removes each entry given whose record is still
	// pending with a Seq no greater than the entry's, so a record named
	// again while it was being synced stays pending.
	AddPending(ctx context.Context, pair string, ps []Pending) error
	Pending(ctx context.Context, pair string) ([]Pending, error)
	DonePending(ctx context.Context, pair string, ps []Pending) error

	// Lookup returns a cached per-company value (a vendor's field list, a
	// resolved id) stored with PutLookup, and whether there is one; the
	// caller decides, from Lookup.At, whether it is still fresh.
	Lookup(ctx context.Context, pair, key string) (Lookup, bool, error)
	PutLookup(ctx context.Context, pair, key string, l Lookup) error
}

// Due is a record that falls due: the engine acts on it in the first run
// at or after At (a leave date, a start date, an invitation).
type Due struct {
	Collection Collection `json:"collection"`
	// Side and ID name the record whose data sets the due time (the source).
	Side Side   `json:"side"`
	ID   string `json:"id"`
	// Kind says what falls due ("deactivate", "invite", "create").
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
}

// Pending is one record named by an event (a webhook delivery) that the
// engine has not synced yet.
type Pending struct {
	Collection Collection `json:"collection"`
	Side       Side       `json:"side"`
	ID         string     `json:"id"`
	// Seq is set by the store; it grows with every AddPending of the pair.
	Seq uint64 `json:"seq"`
	// At is when the event was received.
	At time.Time `json:"at"`
}

// Lookup is a cached per-company value and when it was read.
type Lookup struct {
	Value []byte    `json:"value"`
	At    time.Time `json:"at"`
}

// ErrLocked is returned by Store.Lock when the pair is already being
// synced, and by the writes of a holder whose lock was lost (a lease taken
// over), which the engine answers by stopping the run before its next write.
var ErrLocked = errors.New("syncengine: pair is locked by another sync")
