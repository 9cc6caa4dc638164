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
// must find the link on the next run. Implementations are safe for
// concurrent use.
type Store interface {
	// Lock takes the pair's lock; it fails with ErrLocked when another
	// holder (another process, for durable stores) has it. unlock releases it.
	Lock(ctx context.Context, pair string) (unlock func() error, err error)

	// Links returns the pair's links for collection c, in any order (the
	// engine plans fastest when they come ordered by A id, as both stores
	// here return them).
	Links(ctx context.Context, pair string, c Collection) ([]Link, error)
	// PutLink adds or replaces the link for (l.Collection, l.AID).
	PutLink(ctx context.Context, pair string, l Link) error
	// DeleteLink removes the link for (c, aID); absent is not an error.
	DeleteLink(ctx context.Context, pair string, c Collection, aID string) error

	// Cursor returns a named cursor ("" when never set).
	Cursor(ctx context.Context, pair, name string) (string, error)
	// PutCursor stores a named cursor.
	PutCursor(ctx context.Context, pair, name, value string) error

	// AddRun appends to the pair's run history; Runs returns it, oldest first.
	AddRun(ctx context.Context, pair string, r RunRecord) error
	Runs(ctx context.Context, pair string) ([]RunRecord, error)
}

// ErrLocked is returned by Store.Lock when the pair is already being synced.
var ErrLocked = errors.New("syncengine: pair is locked by another sync")
