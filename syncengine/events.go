package syncengine

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// SyncIDs syncs the records a webhook names: ids of collection c on side
// (the side the event comes from). Like a controller's reconcile it
// trusts no payload: it reads each record's current state with Get, finds
// its counterpart through the link table or the match keys (Finder, or a
// List scan when the connector has none), and runs the same plan and
// apply as Sync, under the same lock and rules. A record that is gone or
// out of scope is treated as having left the scope. The deactivation
// threshold applies: its count as in Sync, its percentage taken of the
// collection's linked records (the event's own records would make any
// deactivation 100%).
func (e *Engine) SyncIDs(ctx context.Context, side Side, c Collection, ids []string) (*Report, error) {
	if err := e.checkEvent(side, c); err != nil {
		return nil, err
	}
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer e.unlock(unlock)
	r := e.startRun(e.cfg.DryRun)
	p, err := e.planEvent(ctx, map[Collection]map[Side][]string{c: {side: ids}})
	if err != nil {
		return e.finishRun(ctx, r, nil, nil, err)
	}
	return e.execute(ctx, r, p, nil)
}

// eventInput is what an event-driven plan starts from instead of full snapshots.
type eventInput struct {
	snap  [2]snapshot
	named [2]map[string]bool
	links []Link
	errs  []Change
}

// planEvent plans the selected records of each collection.
func (e *Engine) planEvent(ctx context.Context, sel map[Collection]map[Side][]string) (*Plan, error) {
	st := e.newPlanState()
	st.event = true
	for i := range e.cfg.Collections {
		cr := &e.cfg.Collections[i]
		if len(sel[cr.Collection]) == 0 {
			continue
		}
		ev, err := e.eventInput(ctx, cr, sel[cr.Collection])
		if err != nil {
			return nil, err
		}
		cp, err := e.loadCollection(ctx, cr, ev)
		if err != nil {
			return nil, err
		}
		cp.plan(ctx, st)
	}
	return st.finish(), nil
}

func (e *Engine) eventInput(ctx context.Context, cr *CollectionRules, want map[Side][]string) (*eventInput, error) {
	links, err := e.cfg.Store.Links(ctx, e.cfg.Pair, cr.Collection)
	if err != nil {
		return nil, fmt.Errorf("syncengine: read links of %s: %w", cr.Collection, err)
	}
	ev := &eventInput{links: links}
	var other [2]map[string]string // [side] id → counterpart id
	for i := range ev.snap {
		ev.snap[i] = snapshot{idx: map[string]int32{}}
		ev.named[i] = map[string]bool{}
		other[i] = map[string]string{}
	}
	for _, l := range links {
		other[0][l.AID], other[1][l.BID] = l.BID, l.AID
	}
	for _, side := range []Side{SideA, SideB} {
		si := sideIndex(side)
		for _, id := range want[side] {
			if ev.named[si][id] {
				continue
			}
			ev.named[si][id] = true
			rec, found := e.eventGet(ctx, ev, cr.Collection, side, id)
			if cid, ok := other[si][id]; ok {
				ev.named[1-si][cid] = true
				e.eventGet(ctx, ev, cr.Collection, side.other(), cid)
				continue
			}
			if found {
				if err := e.eventCandidates(ctx, ev, cr, side, rec); err != nil {
					return nil, err
				}
			}
		}
	}
	return ev, nil
}

// eventGet reads one record into the event's snapshot.
func (e *Engine) eventGet(ctx context.Context, ev *eventInput, c Collection, side Side, id string) (Record, bool) {
	si := sideIndex(side)
	if j, ok := ev.snap[si].idx[id]; ok {
		return ev.snap[si].recs[j], true
	}
	conn := e.conn(side)
	if !conn.Capabilities(c).Has(CanGet) {
		ev.errs = append(ev.errs, eventError(c, side, id, fmt.Errorf("%s cannot read %s by id: %w", conn.Name(), c, ErrUnsupported)))
		return Record{}, false
	}
	var rec Record
	err := e.retry(ctx, func() (err error) {
		rec, err = conn.Get(ctx, c, id)
		return err
	})
	switch {
	case err == nil:
		ev.snap[si].add(rec)
		return rec, true
	case errors.Is(err, ErrNotFound):
		return Record{}, false
	}
	ev.errs = append(ev.errs, eventError(c, side, id, fmt.Errorf("read %s %s %q: %w", conn.Name(), c, id, err)))
	return Record{}, false
}

func eventError(c Collection, side Side, id string, err error) Change {
	ch := Change{Collection: c, Action: ActionError, Source: side, Error: err.Error()}
	if side == SideA {
		ch.AID = id
	} else {
		ch.BID = id
	}
	return ch
}

// eventCandidates adds the target records that rec's match keys find.
func (e *Engine) eventCandidates(ctx context.Context, ev *eventInput, cr *CollectionRules, side Side, rec Record) error {
	tgt := side.other()
	r := e.rules(cr, tgt)
	if r == nil || len(r.Match) == 0 {
		return nil
	}
	mapped, _, _ := mapRecord(r, rec.Fields)
	conn := e.conn(tgt)
	ti := sideIndex(tgt)
	finder, ok := conn.(Finder)
	byRefs := slices.ContainsFunc(r.Match, func(k MatchKey) bool { return len(k.Refs) > 0 })
	if !ok || !conn.Capabilities(cr.Collection).Has(CanFind) || byRefs {
		all, err := e.listAll(ctx, tgt, cr.Collection)
		if err != nil {
			return fmt.Errorf("syncengine: list %s %s for matching: %w", conn.Name(), cr.Collection, err)
		}
		for _, t := range all {
			if _, dup := ev.snap[ti].idx[t.ID]; !dup {
				ev.snap[ti].add(t)
			}
		}
		return nil
	}
	for _, k := range r.Match {
		v := mapped[k.Field]
		if keyValue(v, k.Fold) == "" {
			continue
		}
		var found []Record
		err := e.retry(ctx, func() (err error) {
			found, err = finder.Find(ctx, cr.Collection, k.Field, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("syncengine: find %s %s by %s: %w", conn.Name(), cr.Collection, k.Field, err)
		}
		for _, t := range found {
			if _, dup := ev.snap[ti].idx[t.ID]; !dup {
				ev.snap[ti].add(t)
			}
		}
	}
	return nil
}
