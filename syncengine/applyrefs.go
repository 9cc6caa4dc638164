package syncengine

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// applyRefsStep is applyRefs followed by its progress report.
func (a *applier) applyRefsStep(ctx context.Context, i int) {
	a.applyRefs(ctx, i)
	a.progress(&a.outs[i])
}

// applyRefs writes one change's references (pass two), translating the
// source's refs through the links as they stand after pass one.
func (a *applier) applyRefs(ctx context.Context, i int) {
	ch, o := &a.plan.Changes[i], &a.outs[i]
	if o.Status == StatusFailed || ch.Action == ActionConflict || ch.Action == ActionError {
		return
	}
	bySide := map[Side]map[string][]Ref{}
	for _, rd := range ch.Refs {
		if len(rd.Unresolved) > 0 || a.refsDone[i].has(rd.Side) {
			continue // reported by outcomeOf; or written with the record
		}
		refs, missing := a.translate(rd)
		if len(missing) > 0 {
			o.Note = joinMsg(o.Note, fmt.Sprintf("%s not written: %s not synced", rd.Role, refList(missing)))
			continue
		}
		if refsEqual(refs, rd.Old) {
			continue
		}
		if bySide[rd.Side] == nil {
			bySide[rd.Side] = map[string][]Ref{}
		}
		bySide[rd.Side][rd.Role] = refs
	}
	for _, side := range []Side{SideA, SideB} {
		refs := bySide[side]
		if len(refs) == 0 {
			continue
		}
		if err := a.writeRefs(ctx, ch, i, side, refs); err != nil {
			o.Status, o.Error = StatusFailed, joinMsg(o.Error, err.Error())
			o.Retry = o.Retry || Retryable(err) || errors.Is(err, ErrOutcomeUnknown)
			continue
		}
		if o.Status == StatusSkipped {
			o.Status = StatusApplied
		}
	}
}

func (a *applier) writeRefs(ctx context.Context, ch *Change, i int, side Side, refs map[string][]Ref) error {
	id := ch.AID
	if side == SideB {
		id = ch.BID
	}
	if id == "" {
		id = a.newID[i]
	}
	conn := a.e.conn(side)
	w, ok := conn.(RefWriter)
	if !ok || !conn.Capabilities(ch.Collection).Has(CanWriteRefs) {
		if rw := a.recordWriter(ch.Collection, side); rw != nil {
			return a.writeRecord(ctx, rw, ch.Collection, side, id, nil, refs)
		}
		return fmt.Errorf("write refs %s %s %q: %w", conn.Name(), ch.Collection, id, ErrUnsupported)
	}
	if err := a.e.retry(ctx, func() error { return w.WriteRefs(ctx, ch.Collection, id, refs) }); err != nil {
		return fmt.Errorf("write refs %s %s %q: %w", conn.Name(), ch.Collection, id, err)
	}
	return nil
}

// translate maps rd.Want (ids on the source side) to ids on rd.Side.
func (a *applier) translate(rd RefDiff) (out, missing []Ref) {
	a.mu.Lock()
	defer a.mu.Unlock()
	out = []Ref{}
	for _, r := range rd.Want {
		t := a.links[r.Collection]
		var id string
		if m := a.matched[r.Collection]; m != nil {
			// Matched in this run: the plan's match, which replaces any
			// stale link, translates before the change stores it.
			id = m[sideIndex(rd.Side.other())][r.ID]
		}
		switch {
		case id != "", t == nil:
		case rd.Side == SideB:
			id = t.link(r.ID).BID
		default:
			id = t.aOf(r.ID)
		}
		if id == "" {
			missing = append(missing, r)
			continue
		}
		out = append(out, Ref{Collection: r.Collection, ID: id})
	}
	return append(out, rd.Kept...), missing
}

// translateAll translates every ref of a change for a create that needs
// them at once (an enrollment is its user and course).
func (a *applier) translateAll(ch *Change) (map[string][]Ref, error) {
	refs := map[string][]Ref{}
	for _, rd := range ch.Refs {
		if len(rd.Unresolved) > 0 {
			return nil, fmt.Errorf("%s: %s not synced", rd.Role, refList(rd.Unresolved))
		}
		rs, missing := a.translate(rd)
		if len(missing) > 0 {
			return nil, fmt.Errorf("%s: %s not synced", rd.Role, refList(missing))
		}
		refs[rd.Role] = rs
	}
	return refs, nil
}

func refList(rs []Ref) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r.Collection) + "/" + r.ID
	}
	sort.Strings(s)
	return fmt.Sprint(s)
}
