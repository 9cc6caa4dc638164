package pgstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rostersync/rostersync/syncengine"
)

// Links implements syncengine.Store.
func (s *Store) Links(ctx context.Context, pair string, c syncengine.Collection) ([]syncengine.Link, error) {
	if err := checkPair(ctx, "links", pair); err != nil {
		return nil, err
	}
	if !storable(string(c)) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, s.q.links, pair, string(c))
	if err != nil {
		return nil, fmt.Errorf("pgstore: links %q: %w", pair, err)
	}
	defer rows.Close()
	key := pair + "\x00" + string(c)
	hint, _ := s.linkCounts.Load(key)
	n, _ := hint.(int)
	out := make([]syncengine.Link, 0, n) // as many as last time: no regrowing 100k links
	var synced pgtype.DriverBytes        // decoded before the next row: no copy
	keys := map[string]string{}          // the synced values' keys, shared by the links
	for rows.Next() {
		l := syncengine.Link{Collection: c}
		if err := rows.Scan(&l.AID, &l.BID, &synced, &l.UpdatedAt); err != nil {
			return nil, fmt.Errorf("pgstore: links %q: %w", pair, err)
		}
		if synced != nil { // NULL: a link with no synced values
			if l.Synced, err = decodeSynced(synced, keys); err != nil {
				return nil, fmt.Errorf("pgstore: links %q: %s link %q: synced values: %w", pair, c, l.AID, err)
			}
		}
		l.UpdatedAt = l.UpdatedAt.UTC()
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: links %q: %w", pair, err)
	}
	s.linkCounts.Store(key, len(out))
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// PutLink implements syncengine.Store.
func (s *Store) PutLink(ctx context.Context, pair string, l syncengine.Link) error {
	if err := checkPair(ctx, "put link", pair); err != nil {
		return err
	}
	if err := checkLink(l); err != nil {
		return fmt.Errorf("pgstore: put link %q: %w", pair, err)
	}
	var synced []byte
	if l.Synced != nil {
		var err error
		if synced, err = json.Marshal(l.Synced); err != nil {
			return fmt.Errorf("pgstore: put link %q: %w", pair, err)
		}
	}
	return s.write(ctx, "put link", pair, true, stmt{s.q.putLink,
		[]any{pair, string(l.Collection), l.AID, l.BID, synced, l.UpdatedAt}})
}

// DeleteLink implements syncengine.Store.
func (s *Store) DeleteLink(ctx context.Context, pair string, c syncengine.Collection, aID string) error {
	if err := checkPair(ctx, "delete link", pair); err != nil {
		return err
	}
	if !storable(string(c), aID) {
		return s.write(ctx, "delete link", pair, true) // absent, but a lost lease still fails
	}
	return s.write(ctx, "delete link", pair, true, stmt{s.q.deleteLink, []any{pair, string(c), aID}})
}

// storable reports whether PostgreSQL text can hold each of ss; a key it
// cannot hold names nothing stored.
func storable(ss ...string) bool { return checkText("", ss...) == nil }
