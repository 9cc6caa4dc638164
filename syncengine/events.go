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
	other [2]map[string]string // [side] id → counterpart id, from the links
	links []Link
	errs  []Change
	// unmatched are the named records found with no link, by side: their
	// match candidates are still to be read.
	unmatched [2][]Record
}

// planEvent plans the selected records of each collection, and with them
// what a full run would write for those records: a record they reference
// (a new manager, the team of a new department) that is not linked yet is
// read and planned too, and references to linked records of collections
// the event does not name are translated through the link table.
func (e *Engine) planEvent(ctx context.Context, sel map[Collection]map[Side][]string) (*Plan, error) {
	st := e.newPlanState()
	st.event = true
	st.plan.Partial = true
	type item struct {
		c    Collection
		side Side
		id   string
	}
	var work []item
	for i := range e.cfg.Collections {
		c := e.cfg.Collections[i].Collection
		for _, side := range []Side{SideA, SideB} {
			for _, id := range sel[c][side] {
				work = append(work, item{c, side, id})
			}
		}
	}
	evs := map[Collection]*eventInput{}
	input := func(c Collection) (*eventInput, error) {
		if ev := evs[c]; ev != nil {
			return ev, nil
		}
		ev, err := e.newEventInput(ctx, c)
		if err != nil {
			return nil, err
		}
		evs[c] = ev
		return ev, nil
	}
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		cr := e.collection(it.c)
		ev, err := input(it.c)
		if err != nil {
			return nil, err
		}
		rec, found, err := e.eventAdd(ctx, ev, cr, it.side, it.id)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		for _, ref := range e.outRefs(cr, it.side, rec) {
			rcr := e.collection(ref.Collection)
			if rcr == nil || e.rules(rcr, it.side.other()) == nil || ref.ID == "" {
				continue
			}
			rev, err := input(ref.Collection)
			if err != nil {
				return nil, err
			}
			si := sideIndex(it.side)
			if _, linked := rev.other[si][ref.ID]; !linked && !rev.named[si][ref.ID] {
				work = append(work, item{ref.Collection, it.side, ref.ID})
			}
		}
	}
	for i := range e.cfg.Collections {
		cr := &e.cfg.Collections[i]
		if ev := evs[cr.Collection]; ev != nil {
			for _, side := range []Side{SideA, SideB} {
				if err := e.eventCandidates(ctx, ev, cr, side); err != nil {
					return nil, err
				}
			}
		}
	}
	for i := range e.cfg.Collections {
		cr := &e.cfg.Collections[i]
		ev := evs[cr.Collection]
		if ev == nil {
			// Not named: its links still translate references to it.
			links, err := e.cfg.Store.Links(ctx, e.cfg.Pair, cr.Collection)
			if err != nil {
				return nil, fmt.Errorf("syncengine: read links of %s: %w", cr.Collection, err)
			}
			st.links[cr.Collection] = links
			continue
		}
		cp, err := e.loadCollection(ctx, st, cr, ev)
		if err != nil {
			return nil, err
		}
		cp.plan(ctx, st)
	}
	return st.finish(), nil
}

// outRefs are the references source record rec (side side) carries to
// the other side: its own and those its map makes.
func (e *Engine) outRefs(cr *CollectionRules, side Side, rec Record) []Ref {
	r := e.rules(cr, side.other())
	if r == nil {
		return nil
	}
	var out []Ref
	for _, rs := range rec.Refs {
		out = append(out, rs...)
	}
	if r.Map != nil {
		_, mrefs, _ := mapRecord(r, rec.Fields)
		for _, rs := range mrefs {
			out = append(out, rs...)
		}
	}
	return out
}

func (e *Engine) newEventInput(ctx context.Context, c Collection) (*eventInput, error) {
	links, err := e.cfg.Store.Links(ctx, e.cfg.Pair, c)
	if err != nil {
		return nil, fmt.Errorf("syncengine: read links of %s: %w", c, err)
	}
	ev := &eventInput{links: links}
	for i := range ev.snap {
		ev.snap[i] = snapshot{idx: map[string]int32{}}
		ev.named[i] = map[string]bool{}
		ev.other[i] = map[string]string{}
	}
	for _, l := range links {
		ev.other[0][l.AID], ev.other[1][l.BID] = l.BID, l.AID
	}
	return ev, nil
}

// eventAdd reads the named record id of side, its linked counterpart or
// its match candidates, into ev. It reports whether the record was found.
func (e *Engine) eventAdd(ctx context.Context, ev *eventInput, cr *CollectionRules, side Side, id string) (Record, bool, error) {
	si := sideIndex(side)
	if ev.named[si][id] {
		return Record{}, false, nil
	}
	ev.named[si][id] = true
	errs := len(ev.errs)
	rec, found := e.eventGet(ctx, ev, cr.Collection, side, id)
	if _, linked := ev.other[si][id]; !found && !linked && len(ev.errs) == errs {
		// Named, but neither in the source nor linked: nothing to do, said so.
		ch := eventError(cr.Collection, side, id, nil)
		ch.Action, ch.Reason = ActionSkip, ReasonNotFound
		ev.errs = append(ev.errs, ch)
	}
	if cid, ok := ev.other[si][id]; ok {
		ev.named[1-si][cid] = true
		e.eventGet(ctx, ev, cr.Collection, side.other(), cid)
		return rec, found, nil
	}
	if found {
		// Its match candidates are looked up with the other named records'
		// (eventCandidates), once every record is read.
		ev.unmatched[si] = append(ev.unmatched[si], rec)
	}
	return rec, found, nil
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
	ch := Change{Collection: c, Action: ActionError, Source: side}
	if err != nil {
		ch.Error = err.Error()
	}
	if side == SideA {
		ch.AID = id
	} else {
		ch.BID = id
	}
	return ch
}

// eventCandidates adds the target records that the match keys of the
// unmatched records of side find: one Find per record and key, or where a
// look-up reads the whole collection one FindMany per key (ManyFinder),
// or one List (no Finder, or a key by references) for them all.
func (e *Engine) eventCandidates(ctx context.Context, ev *eventInput, cr *CollectionRules, side Side) error {
	recs := ev.unmatched[sideIndex(side)]
	tgt := side.other()
	r := e.rules(cr, tgt)
	if len(recs) == 0 || r == nil || len(r.Match) == 0 {
		return nil
	}
	conn := e.conn(tgt)
	ti := sideIndex(tgt)
	add := func(found []Record) {
		for _, t := range found {
			if _, dup := ev.snap[ti].idx[t.ID]; !dup {
				ev.snap[ti].add(t)
			}
		}
	}
	finder, ok := conn.(Finder)
	mf, many := conn.(ManyFinder)
	caps := conn.Capabilities(cr.Collection)
	byRefs := slices.ContainsFunc(r.Match, func(k MatchKey) bool { return len(k.Refs) > 0 })
	if !ok || !caps.Has(CanFind) || byRefs {
		all, err := e.listAll(ctx, tgt, cr.Collection)
		if err != nil {
			return fmt.Errorf("syncengine: list %s %s for matching: %w", conn.Name(), cr.Collection, err)
		}
		add(all)
		return nil
	}
	many = many && caps.Has(CanFindMany)
	for _, k := range r.Match {
		var vals []any
		for _, rec := range recs {
			mapped, _, _ := mapRecord(r, rec.Fields)
			if v := mapped[k.Field]; keyValue(v, k.Fold) != "" {
				vals = append(vals, v)
			}
		}
		find := func(do func() ([]Record, error)) error {
			var found []Record
			err := e.retry(ctx, func() (err error) {
				found, err = do()
				return err
			})
			if err != nil {
				return fmt.Errorf("syncengine: find %s %s by %s: %w", conn.Name(), cr.Collection, k.Field, err)
			}
			add(found)
			return nil
		}
		if many && len(vals) > 0 {
			if err := find(func() ([]Record, error) { return mf.FindMany(ctx, cr.Collection, k.Field, vals) }); err != nil {
				return err
			}
			continue
		}
		for _, v := range vals {
			if err := find(func() ([]Record, error) { return finder.Find(ctx, cr.Collection, k.Field, v) }); err != nil {
				return err
			}
		}
	}
	return nil
}
