package pgstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// AddPending implements syncengine.Store. It is not fenced: events are
// recorded whoever holds the pair's lease, and whether or not the lease
// of this store was lost (a webhook receiver must not refuse a delivery
// because a run elsewhere in the process lost its lease).
func (s *Store) AddPending(ctx context.Context, pair string, ps []syncengine.Pending) error {
	if err := checkPair(ctx, "add pending", pair); err != nil {
		return err
	}
	if err := checkPendings(ps); err != nil {
		return fmt.Errorf("pgstore: add pending %q: %w", pair, err)
	}
	if len(ps) == 0 {
		return nil
	}
	b := batchOf(ps, s.cfg.now())
	return s.write(ctx, "add pending", pair, false, stmt{s.q.addPending,
		[]any{pair, int64(len(ps)), b.collections, b.sides, b.ids, b.ords, b.ats}})
}

// pendingBatch is an AddPending's records as the statement takes them: one
// row per distinct record, with ord the place of its last mention in the
// batch (from 1) and at the time of its first.
type pendingBatch struct {
	collections, sides, ids []string
	ords                    []int64
	ats                     []time.Time
}

type pendingKey struct {
	c    syncengine.Collection
	side syncengine.Side
	id   string
}

func batchOf(ps []syncengine.Pending, now time.Time) pendingBatch {
	var b pendingBatch
	row := map[pendingKey]int{}
	for i, p := range ps {
		k := pendingKey{p.Collection, p.Side, p.ID}
		if r, ok := row[k]; ok {
			b.ords[r] = int64(i + 1)
			continue
		}
		at := p.At
		if at.IsZero() {
			at = now
		}
		row[k] = len(b.ids)
		b.collections = append(b.collections, string(p.Collection))
		b.sides = append(b.sides, string(p.Side))
		b.ids = append(b.ids, p.ID)
		b.ords = append(b.ords, int64(i+1))
		b.ats = append(b.ats, at.UTC())
	}
	return b
}

// Pending implements syncengine.Store.
func (s *Store) Pending(ctx context.Context, pair string) ([]syncengine.Pending, error) {
	if err := checkPair(ctx, "pending", pair); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, s.q.pending, pair)
	if err != nil {
		return nil, fmt.Errorf("pgstore: pending %q: %w", pair, err)
	}
	defer rows.Close()
	var out []syncengine.Pending
	for rows.Next() {
		var p syncengine.Pending
		var c, side string
		var seq int64
		if err := rows.Scan(&c, &side, &p.ID, &seq, &p.At); err != nil {
			return nil, fmt.Errorf("pgstore: pending %q: %w", pair, err)
		}
		p.Collection, p.Side, p.Seq, p.At = syncengine.Collection(c), syncengine.Side(side), uint64(seq), p.At.UTC()
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: pending %q: %w", pair, err)
	}
	return out, nil
}

// DonePending implements syncengine.Store.
func (s *Store) DonePending(ctx context.Context, pair string, ps []syncengine.Pending) error {
	if err := checkPair(ctx, "done pending", pair); err != nil {
		return err
	}
	var cs, sides, ids []string
	var seqs []int64
	for _, p := range ps {
		if !storable(string(p.Collection), string(p.Side), p.ID) {
			continue // never stored
		}
		cs, sides, ids = append(cs, string(p.Collection)), append(sides, string(p.Side)), append(ids, p.ID)
		seqs = append(seqs, int64(min(p.Seq, math.MaxInt64)))
	}
	if len(ids) == 0 {
		return s.write(ctx, "done pending", pair, true) // nothing to remove, but a lost lease still fails
	}
	return s.write(ctx, "done pending", pair, true, stmt{s.q.donePending, []any{pair, cs, sides, ids, seqs}})
}
