package pgstore

import (
	"context"
	"fmt"

	"github.com/rostersync/rostersync/syncengine"
)

// PutDue implements syncengine.Store.
func (s *Store) PutDue(ctx context.Context, pair string, d syncengine.Due) error {
	if err := checkPair(ctx, "put due", pair); err != nil {
		return err
	}
	if err := checkDue(d); err != nil {
		return fmt.Errorf("pgstore: put due %q: %w", pair, err)
	}
	return s.write(ctx, "put due", pair, true, stmt{s.q.putDue,
		[]any{pair, string(d.Collection), string(d.Side), d.ID, d.Kind, d.At}})
}

// DeleteDue implements syncengine.Store.
func (s *Store) DeleteDue(ctx context.Context, pair string, d syncengine.Due) error {
	if err := checkPair(ctx, "delete due", pair); err != nil {
		return err
	}
	if !storable(string(d.Collection), string(d.Side), d.ID, d.Kind) {
		return s.write(ctx, "delete due", pair, true) // absent, but a lost lease still fails
	}
	return s.write(ctx, "delete due", pair, true, stmt{s.q.deleteDue,
		[]any{pair, string(d.Collection), string(d.Side), d.ID, d.Kind}})
}

// Dues implements syncengine.Store.
func (s *Store) Dues(ctx context.Context, pair string) ([]syncengine.Due, error) {
	if err := checkPair(ctx, "dues", pair); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, s.q.dues, pair)
	if err != nil {
		return nil, fmt.Errorf("pgstore: dues %q: %w", pair, err)
	}
	defer rows.Close()
	var out []syncengine.Due
	for rows.Next() {
		var d syncengine.Due
		var c, side string
		if err := rows.Scan(&c, &side, &d.ID, &d.Kind, &d.At); err != nil {
			return nil, fmt.Errorf("pgstore: dues %q: %w", pair, err)
		}
		d.Collection, d.Side, d.At = syncengine.Collection(c), syncengine.Side(side), d.At.UTC()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: dues %q: %w", pair, err)
	}
	return out, nil
}
