package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rostersync/rostersync/syncengine"
)

// Cursor implements syncengine.Store.
func (s *Store) Cursor(ctx context.Context, pair, name string) (string, error) {
	if err := checkPair(ctx, "cursor", pair); err != nil {
		return "", err
	}
	if !storable(name) {
		return "", nil
	}
	var v string
	err := s.pool.QueryRow(ctx, s.q.cursor, pair, name).Scan(&v)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("pgstore: cursor %q: %w", pair, err)
	}
	return v, nil
}

// PutCursor implements syncengine.Store.
func (s *Store) PutCursor(ctx context.Context, pair, name, value string) error {
	if err := checkPair(ctx, "put cursor", pair); err != nil {
		return err
	}
	if err := checkCursor(name, value); err != nil {
		return fmt.Errorf("pgstore: put cursor %q: %w", pair, err)
	}
	return s.write(ctx, "put cursor", pair, true, stmt{s.q.putCursor, []any{pair, name, value}})
}

// AddRun implements syncengine.Store. Only the last runs are kept; see
// WithKeepRuns. Text PostgreSQL cannot hold (invalid UTF-8, NUL bytes)
// is kept as U+FFFD.
func (s *Store) AddRun(ctx context.Context, pair string, r syncengine.RunRecord) error {
	if err := checkPair(ctx, "add run", pair); err != nil {
		return err
	}
	var counts []byte
	if r.Counts != nil {
		kept := make(map[string]int, len(r.Counts))
		for k, v := range r.Counts {
			kept[keepText(k)] += v
		}
		var err error
		if counts, err = json.Marshal(kept); err != nil {
			return fmt.Errorf("pgstore: add run %q: %w", pair, err)
		}
	}
	stmts := []stmt{{s.q.addRun, []any{pair, keepText(r.ID), r.StartedAt, r.FinishedAt, r.DryRun, counts, keepText(r.Err)}}}
	if s.cfg.keepRuns > 0 {
		stmts = append(stmts, stmt{s.q.trimRuns, []any{pair, s.cfg.keepRuns}})
	}
	return s.write(ctx, "add run", pair, true, stmts...)
}

// Runs implements syncengine.Store.
func (s *Store) Runs(ctx context.Context, pair string) ([]syncengine.RunRecord, error) {
	if err := checkPair(ctx, "runs", pair); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, s.q.runs, pair)
	if err != nil {
		return nil, fmt.Errorf("pgstore: runs %q: %w", pair, err)
	}
	defer rows.Close()
	var out []syncengine.RunRecord
	for rows.Next() {
		var r syncengine.RunRecord
		var counts []byte
		if err := rows.Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.DryRun, &counts, &r.Err); err != nil {
			return nil, fmt.Errorf("pgstore: runs %q: %w", pair, err)
		}
		if counts != nil {
			if err := json.Unmarshal(counts, &r.Counts); err != nil {
				return nil, fmt.Errorf("pgstore: runs %q: run %q: counts: %w", pair, r.ID, err)
			}
		}
		r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), r.FinishedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: runs %q: %w", pair, err)
	}
	return out, nil
}

// Lookup implements syncengine.Store.
func (s *Store) Lookup(ctx context.Context, pair, key string) (syncengine.Lookup, bool, error) {
	if err := checkPair(ctx, "lookup", pair); err != nil {
		return syncengine.Lookup{}, false, err
	}
	if !storable(key) {
		return syncengine.Lookup{}, false, nil
	}
	var l syncengine.Lookup
	err := s.pool.QueryRow(ctx, s.q.lookup, pair, key).Scan(&l.Value, &l.At)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return syncengine.Lookup{}, false, nil
	case err != nil:
		return syncengine.Lookup{}, false, fmt.Errorf("pgstore: lookup %q: %w", pair, err)
	}
	l.At = l.At.UTC()
	return l, true, nil
}

// PutLookup implements syncengine.Store.
func (s *Store) PutLookup(ctx context.Context, pair, key string, l syncengine.Lookup) error {
	if err := checkPair(ctx, "put lookup", pair); err != nil {
		return err
	}
	if err := checkLookupKey(key); err != nil {
		return fmt.Errorf("pgstore: put lookup %q: %w", pair, err)
	}
	return s.write(ctx, "put lookup", pair, true, stmt{s.q.putLookup, []any{pair, key, l.Value, l.At}})
}
