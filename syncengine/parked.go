package syncengine

import (
	"context"
	"errors"
	"fmt"
)

// A create whose outcome is unknown (or that was refused as a duplicate)
// is looked up by match key before anything else. Where one look-up reads
// the whole target collection (a ManyFinder, or a connector without Finder,
// looked up through List), one look-up per create would cost a full read
// each: a run with k such creates would read the collection k times. Those
// creates are parked instead, and when the level of creates they belong to
// is done, settleParked looks them all up with one read per match key,
// made after every parked create returned, so a record a lost reply did
// create is in it. Found records are adopted; creates proven absent are
// sent again, and park again if their outcome is unknown once more.

// errParked marks a create parked for its level's batched look-up.
var errParked = errors.New("parked for a batched look-up")

// parked is a create waiting for its level's batched look-up.
type parked struct {
	i       int // the change
	tgt     Side
	rec     Record
	attempt int   // the create attempt that failed
	err     error // its error
	unknown bool  // the outcome was unknown (not a conflict)

	found *Record // the look-up's result
	ferr  error   // the look-up's failure
}

// parks reports whether look-ups of c on side tgt are batched: the
// connector reads the whole collection for any look-up.
func (a *applier) parks(c Collection, tgt Side) bool {
	conn := a.e.conn(tgt)
	caps := conn.Capabilities(c)
	_, many := conn.(ManyFinder)
	_, finder := conn.(Finder)
	return (many && caps.Has(CanFindMany|CanFind)) || !(finder && caps.Has(CanFind))
}

func (a *applier) park(p *parked) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.parked = append(a.parked, p)
}

func (a *applier) takeParked() []*parked {
	a.mu.Lock()
	defer a.mu.Unlock()
	ps := a.parked
	a.parked = nil
	return ps
}

// settleParked looks up the creates parked so far, by target side, and
// finishes them: adopted, failed, or sent again (which may park them once
// more, for another round).
func (a *applier) settleParked(ctx context.Context) {
	for {
		ps := a.takeParked()
		if len(ps) == 0 {
			return
		}
		if ctx.Err() != nil {
			for _, p := range ps {
				a.finishCreate(p.i, fmt.Errorf("%s: %w", a.where(p), p.err))
			}
			continue
		}
		for _, tgt := range []Side{SideA, SideB} {
			a.lookupParked(ctx, tgt, ps)
		}
		var adopt, retry []int
		byChange := make(map[int]*parked, len(ps))
		for _, p := range ps {
			byChange[p.i] = p
			where := a.where(p)
			switch {
			case p.found != nil:
				adopt = append(adopt, p.i)
			case afterLookup(where, p.err, p.ferr, p.unknown) != nil:
				a.finishCreate(p.i, afterLookup(where, p.err, p.ferr, p.unknown))
			case p.attempt >= a.e.cfg.Retries || !(p.unknown || Retryable(p.err)):
				a.finishCreate(p.i, fmt.Errorf("%s: %w", where, p.err))
			default:
				retry = append(retry, p.i)
			}
		}
		a.run(ctx, adopt, func(ctx context.Context, i int) {
			p := byChange[i]
			a.finishCreate(i, a.linkCreated(ctx, i, p.tgt, p.found.ID, p.rec, p.found))
		})
		if len(retry) > 0 && a.e.wait(ctx) != nil {
			for _, i := range retry {
				a.finishCreate(i, fmt.Errorf("%s: %w", a.where(byChange[i]), byChange[i].err))
			}
			continue
		}
		a.run(ctx, retry, func(ctx context.Context, i int) {
			p := byChange[i]
			id, found, err := a.createOrAdopt(ctx, i, p.tgt, p.rec, p.attempt+1)
			if errors.Is(err, errParked) {
				return // parked again: the next round
			}
			if err == nil {
				err = a.linkCreated(ctx, i, p.tgt, id, p.rec, found)
			}
			a.finishCreate(i, err)
		})
	}
}

func (a *applier) where(p *parked) string {
	return fmt.Sprintf("create in %s %s", a.e.conn(p.tgt).Name(), a.plan.Changes[p.i].Collection)
}

// lookupParked looks up the parked creates of side tgt (all of one
// collection: a level's) by the direction's match keys in precedence
// order, one read per key: FindMany, or one List shared by every key. A
// record is adopted by one create at most.
func (a *applier) lookupParked(ctx context.Context, tgt Side, ps []*parked) {
	var pending []*parked
	for _, p := range ps {
		if p.tgt == tgt {
			pending = append(pending, p)
		}
	}
	if len(pending) == 0 {
		return
	}
	c := a.plan.Changes[pending[0].i].Collection
	fail := func(err error) {
		for _, p := range pending {
			p.ferr = err
		}
	}
	r := a.e.rules(a.e.collection(c), tgt)
	if r == nil || len(r.Match) == 0 {
		fail(errors.New("no match key to look the record up by"))
		return
	}
	conn := a.e.conn(tgt)
	mf, many := conn.(ManyFinder)
	many = many && conn.Capabilities(c).Has(CanFindMany|CanFind)
	read := candidates{e: a.e, tgt: tgt, c: c}
	taken := map[string]bool{}
	for _, k := range r.Match {
		var vals []any
		for _, p := range pending {
			if targetKey(&p.rec, k) != "" {
				vals = append(vals, p.rec.Fields[k.Field])
			}
		}
		if len(vals) == 0 {
			continue
		}
		var find func() ([]Record, error)
		if many {
			find = func() ([]Record, error) { return mf.FindMany(ctx, c, k.Field, vals) }
		}
		cands, err := read.of(ctx, k, find)
		if err != nil {
			fail(err)
			return
		}
		pending = a.matchParked(c, tgt, pending, cands, k, taken)
	}
}

// matchParked settles the pending creates that key k finds among cands
// (one unlinked, untaken hit: found; more: an error) and returns the rest.
func (a *applier) matchParked(c Collection, tgt Side, pending []*parked, cands []Record, k MatchKey, taken map[string]bool) []*parked {
	var rest []*parked
	for _, p := range pending {
		kv := targetKey(&p.rec, k)
		if kv == "" {
			rest = append(rest, p)
			continue
		}
		var hits []Record
		for _, h := range a.unlinkedHits(c, tgt, cands, k, kv) {
			if !taken[h.ID] {
				hits = append(hits, h)
			}
		}
		switch len(hits) {
		case 0:
			rest = append(rest, p)
		case 1:
			p.found = &hits[0]
			taken[hits[0].ID] = true
		default:
			p.ferr = fmt.Errorf("%d records in %s have %s %q", len(hits), a.e.conn(tgt).Name(), k.Field, kv)
		}
	}
	return rest
}
