package syncengine

import (
	"context"
	"errors"
	"fmt"
)

// The write path keeps a run at the minimum number of calls: a record's
// field, active-flag and reference changes go out as one Write where the
// connector is a RecordWriter, with the record the plan read as its base
// (no read before a write); creates go out in reference order, so a create
// can carry its references (CanCreateRefs) and the references pass has
// nothing left to do; many creates of one collection go out in bulk where
// the connector is a BulkCreator.

// baseKey names a record the plan read.
type baseKey struct {
	c    Collection
	side Side
	id   string
}

func (a *applier) recordWriter(c Collection, side Side) RecordWriter {
	conn := a.e.conn(side)
	rw, ok := conn.(RecordWriter)
	if !ok || !conn.Capabilities(c).Has(CanWriteRecord) {
		return nil
	}
	return rw
}

// base is the record id as the plan (or the check of a stale plan) read
// it, while that read is younger than FreshFor: a write that goes out
// later (one naming a record created in a long run waits for the creates)
// makes the connector read the record again rather than write over an
// hour-old read (Config.FreshFor).
func (a *applier) base(c Collection, side Side, id string) *Record {
	b := a.reads.bases[baseKey{c, side, id}]
	if b != nil && a.e.cfg.Now().Sub(a.reads.at) >= a.e.cfg.FreshFor {
		return nil
	}
	return b
}

// writeRecord writes diffs and refs to one record in one call.
func (a *applier) writeRecord(ctx context.Context, rw RecordWriter, c Collection, side Side, id string, ds []FieldDiff, refs map[string][]Ref) error {
	w := Write{ID: id, Base: a.base(c, side, id), Refs: refs}
	for _, d := range ds {
		if d.Field == ActiveField {
			v, _ := d.New.(bool)
			w.Active = &v
			continue
		}
		if w.Fields == nil {
			w.Fields = map[string]any{}
		}
		setPath(w.Fields, d.Field, d.New)
	}
	conn := a.e.conn(side)
	a.e.log.Debug("syncengine: write", "connector", conn.Name(), "collection", c, "id", id,
		"fields", len(w.Fields), "refs", len(refs), "base", w.Base != nil)
	if err := a.e.retry(ctx, func() error { return rw.Write(ctx, c, w) }); err != nil {
		return fmt.Errorf("write %s %s %q: %w", conn.Name(), c, id, err)
	}
	return nil
}

// refsFor returns change i's references to write on side now: the roles
// whose refs all translate through the links as they stand, differ from
// the target's, and were not written yet. Others wait for the references
// pass, which reports what cannot be translated.
func (a *applier) refsFor(i int, side Side) map[string][]Ref {
	ch := &a.plan.Changes[i]
	if a.refsDone[i].has(side) {
		return nil
	}
	var out map[string][]Ref
	for _, rd := range ch.Refs {
		if rd.Side != side || len(rd.Unresolved) > 0 {
			continue
		}
		refs, missing := a.translate(rd)
		if len(missing) > 0 || refsEqual(refs, rd.Old) {
			continue
		}
		if out == nil {
			out = map[string][]Ref{}
		}
		out[rd.Role] = refs
	}
	return out
}

// markRefs records that change i's references on side were written, when
// every one of them was (refs holds them all).
func (a *applier) markRefs(i int, side Side, refs map[string][]Ref) {
	for _, rd := range a.plan.Changes[i].Refs {
		if rd.Side != side {
			continue
		}
		if _, ok := refs[rd.Role]; !ok {
			if tr, missing := a.translate(rd); len(missing) > 0 || len(rd.Unresolved) > 0 || !refsEqual(tr, rd.Old) {
				return // this role still needs the references pass
			}
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refsDone[i] |= refSidesOf(side)
}

// refSides is a set of sides, a bit each.
type refSides uint8

func refSidesOf(s Side) refSides { return 1 << sideIndex(s) }

func (r refSides) has(s Side) bool { return r&refSidesOf(s) != 0 }

// levels orders creates so that a record referenced by another create of
// the same collection (a manager) comes in an earlier level. A cycle is
// broken: its references are written by the references pass.
func (a *applier) levels(creates []int) [][]int {
	return createLevels(a.plan.Changes, creates, nil)
}

// createLevels is levels over changes, calling later(i, ri) for reference
// ri of change i when it closes a cycle and so orders nothing (the plan
// marks it RefDiff.Later).
func createLevels(changes []Change, creates []int, later func(i, ri int)) [][]int {
	if len(creates) == 0 {
		return nil
	}
	// bySource and level index creates by position k: creates[k] is the
	// change, level[k] its depth once known.
	type key struct {
		side Side
		id   string
	}
	bySource := make(map[key]int, len(creates))
	for k, i := range creates {
		// A record is referred to by its id on the side the reference
		// comes from: index both (a create has only its source's).
		for _, s := range []Side{SideA, SideB} {
			if id := changes[i].idOn(s); id != "" {
				bySource[key{s, id}] = k
			}
		}
	}
	const unknown, visiting = -2, -1
	level := make([]int, len(creates))
	for k := range level {
		level[k] = unknown
	}
	var depth func(k int) int
	depth = func(k int) int {
		switch l := level[k]; l {
		case visiting:
			return -1 // a cycle: this edge does not order
		case unknown:
		default:
			return l
		}
		level[k] = visiting
		ch := &changes[creates[k]]
		l := 0
		for ri, rd := range ch.Refs {
			for _, r := range rd.Want {
				if r.Collection != ch.Collection {
					continue
				}
				j, ok := bySource[key{rd.Side.other(), r.ID}]
				if !ok || j == k {
					continue
				}
				d := depth(j)
				if d < 0 && later != nil {
					later(creates[k], ri)
				}
				l = max(l, d+1)
			}
		}
		level[k] = l
		return l
	}
	var out [][]int
	for k, i := range creates {
		l := depth(k)
		for len(out) <= l {
			out = append(out, nil)
		}
		out[l] = append(out[l], i)
	}
	return out
}

// runCreates creates one level: in bulk when the connector can and the
// level is large enough, else one record at a time; then it settles the
// creates parked for a batched look-up.
func (a *applier) runCreates(ctx context.Context, level []int) {
	if len(level) < a.e.cfg.BulkMin || !a.createBulk(ctx, level) {
		a.run(ctx, level, a.applyRecord)
	}
	a.settleParked(ctx)
}

// createBulk creates the records of level through the target's
// BulkCreator. It reports false, having written nothing the records
// depend on, when the connector cannot or the bulk call was refused as a
// whole: the caller then creates them one at a time (a bulk job that was
// in fact applied is then found by the creates' conflict look-up).
func (a *applier) createBulk(ctx context.Context, level []int) bool {
	ch0 := &a.plan.Changes[level[0]]
	tgt := ch0.Source.other()
	conn := a.e.conn(tgt)
	bc, ok := conn.(BulkCreator)
	if !ok || !conn.Capabilities(ch0.Collection).Has(CanCreateBulk) || ctx.Err() != nil {
		return false
	}
	var idx []int
	var recs []Record
	for _, i := range level {
		rec, err := a.prepareCreate(ctx, i)
		switch {
		case errors.Is(err, errAlreadyDone):
			a.finishCreate(i, err)
		case err != nil:
			a.finishCreate(i, err)
		default:
			idx, recs = append(idx, i), append(recs, rec)
		}
	}
	if len(recs) == 0 {
		return true
	}
	a.e.log.Debug("syncengine: bulk create", "connector", conn.Name(), "collection", ch0.Collection, "records", len(recs))
	results, err := bc.CreateBulk(ctx, ch0.Collection, recs)
	if err != nil || len(results) != len(recs) {
		if err == nil {
			err = fmt.Errorf("%d results for %d records: %w", len(results), len(recs), ErrOutcomeUnknown)
		}
		if errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, context.DeadlineExceeded) {
			// The call may have made any of them: look each up first.
			a.e.log.Warn("syncengine: bulk create outcome unknown; looking the records up",
				"connector", conn.Name(), "collection", ch0.Collection, "error", err)
			a.resolveUnknown(ctx, tgt, idx, recs, err)
			return true
		}
		a.e.log.Warn("syncengine: bulk create refused; creating one at a time",
			"connector", conn.Name(), "collection", ch0.Collection, "error", err)
		a.run(ctx, idx, a.applyRecord)
		return true
	}
	var unknown, alone []int
	var unknownRecs []Record
	for k, i := range idx {
		r := results[k]
		switch {
		case r.Err == nil && r.ID != "":
			a.finishCreate(i, a.linkCreated(ctx, i, tgt, r.ID, recs[k], nil))
		case errors.Is(r.Err, ErrUnsupported):
			alone = append(alone, i) // a record the bulk call cannot carry
		case r.Err == nil, errors.Is(r.Err, ErrOutcomeUnknown):
			unknown, unknownRecs = append(unknown, i), append(unknownRecs, recs[k])
		default:
			a.finishCreate(i, fmt.Errorf("create in %s %s: %w", conn.Name(), ch0.Collection, r.Err))
		}
	}
	a.resolveUnknown(ctx, tgt, unknown, unknownRecs, fmt.Errorf("bulk create: %w", ErrOutcomeUnknown))
	a.run(ctx, alone, a.applyRecord)
	return true
}

// resolveUnknown settles creates a bulk call may or may not have made
// (changes idx, records recs): each is looked up by match key first, and
// adopted when found; only one proven absent is created again, so a
// target without unique keys gets no duplicate. Where look-ups are
// batched the creates are parked, for settleParked.
func (a *applier) resolveUnknown(ctx context.Context, tgt Side, idx []int, recs []Record, err error) {
	if len(idx) == 0 {
		return
	}
	c := a.plan.Changes[idx[0]].Collection
	if a.parks(c, tgt) {
		for k, i := range idx {
			a.park(&parked{i: i, tgt: tgt, rec: recs[k], err: err, unknown: true})
		}
		return
	}
	pos := make(map[int]int, len(idx))
	for k, i := range idx {
		pos[i] = k
	}
	a.run(ctx, idx, func(ctx context.Context, i int) {
		rec := recs[pos[i]]
		found, ferr := a.lookup(ctx, c, tgt, rec)
		switch {
		case found != nil && ferr == nil:
			a.finishCreate(i, a.linkCreated(ctx, i, tgt, found.ID, rec, found))
		case ferr != nil:
			a.finishCreate(i, afterLookup(fmt.Sprintf("create in %s %s", a.e.conn(tgt).Name(), c), err, ferr, true))
		default:
			a.applyRecord(ctx, i) // proven absent
		}
	})
}

// finishCreate records a create's result and reports progress.
func (a *applier) finishCreate(i int, err error) {
	o := &a.outs[i]
	switch {
	case errors.Is(err, errAlreadyDone):
		o.Status = StatusSkipped
	case err != nil:
		o.Status, o.Error = StatusFailed, joinMsg(o.Error, a.e.scrub(&a.plan.Changes[i], err.Error()))
		o.Retry = o.Retry || Retryable(err) || errors.Is(err, ErrOutcomeUnknown)
	default:
		o.Status = StatusApplied
	}
	a.progress(o)
}
