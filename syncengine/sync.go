package syncengine

import (
	"context"
	"fmt"
)

// Sync runs a full reconciliation under the pair's lock: plan over both
// scoped snapshots, then apply (unless Config.DryRun, or the plan exceeds
// the deactivation threshold: then nothing is applied and the error wraps
// ErrThresholdExceeded). It records the run and, for connectors that list
// changes, the cursors SyncChanges continues from. The report lists one
// outcome per record; an error is returned for a run that could not plan
// or was cancelled, not for single records that failed (see Report.Failed).
func (e *Engine) Sync(ctx context.Context) (*Report, error) {
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer e.unlock(unlock)
	return e.syncLocked(ctx)
}

func (e *Engine) syncLocked(ctx context.Context) (*Report, error) {
	r := e.startRun(e.cfg.DryRun)
	cursors := e.startCursors(ctx)
	p, err := e.Plan(ctx)
	if err != nil {
		return e.finishRun(ctx, r, nil, nil, err)
	}
	e.listCursors(ctx, cursors)
	return e.execute(ctx, r, p, cursors)
}

// listCursors adds the cursors of change sources that tell them from the
// listing the plan just made (ListCursorer); one that cannot is asked
// for a "from now" cursor as startCursors does.
func (e *Engine) listCursors(ctx context.Context, out map[string]string) {
	for _, cs := range e.changeSources() {
		lc, ok := cs.cl.(ListCursorer)
		if !ok {
			continue
		}
		if cur, ok := lc.ListCursor(cs.c); ok {
			out[cs.cursorName()] = cur
			continue
		}
		if _, next, err := cs.cl.Changes(ctx, cs.c, ""); err == nil {
			out[cs.cursorName()] = next
		} else {
			e.log.Warn("syncengine: start cursor", "collection", cs.c, "side", cs.side, "error", err)
		}
	}
}

// execute applies a fresh plan for Sync, SyncIDs and SyncChanges.
func (e *Engine) execute(ctx context.Context, r run, p *Plan, cursors map[string]string) (*Report, error) {
	if r.dry {
		return e.finishRun(ctx, r, p, nil, nil)
	}
	if p.Held != nil {
		return e.finishRun(ctx, r, p, nil, ErrThresholdExceeded)
	}
	outs, err := e.apply(ctx, p, e.reads(p))
	if derr := e.saveDues(ctx, p, outs, !p.Partial); derr != nil && err == nil {
		err = derr
	}
	if err == nil && !anyFailed(outs) {
		for name, v := range cursors {
			if cerr := e.cfg.Store.PutCursor(ctx, e.cfg.Pair, name, v); cerr != nil {
				err = fmt.Errorf("syncengine: store cursor %q: %w", name, cerr)
				break
			}
		}
	}
	return e.finishRun(ctx, r, p, outs, err)
}

func anyFailed(outs []Outcome) bool {
	for _, o := range outs {
		if o.Status == StatusFailed {
			return true
		}
	}
	return false
}

// changeSource is a (collection, source side) whose connector lists changes.
type changeSource struct {
	c    Collection
	side Side
	cl   ChangeLister
}

func (cs changeSource) cursorName() string {
	return "changes:" + string(cs.side) + ":" + string(cs.c)
}

// changeSources lists every collection and source side of the pair, with
// the side's ChangeLister when it has one.
func (e *Engine) changeSources() []changeSource {
	var out []changeSource
	for i := range e.cfg.Collections {
		cr := &e.cfg.Collections[i]
		for _, s := range []Side{SideA, SideB} {
			if e.rules(cr, s.other()) == nil {
				continue
			}
			cs := changeSource{c: cr.Collection, side: s}
			conn := e.conn(s)
			if cl, ok := conn.(ChangeLister); ok && conn.Capabilities(cr.Collection).Has(CanListChanges) {
				cs.cl = cl
			}
			out = append(out, cs)
		}
	}
	return out
}

// startCursors takes a "from now" cursor per change source before a full
// sync reads anything, so changes made during the run are seen next time.
func (e *Engine) startCursors(ctx context.Context) map[string]string {
	out := map[string]string{}
	for _, cs := range e.changeSources() {
		if _, ok := cs.cl.(ListCursorer); ok || cs.cl == nil {
			continue // none, or taken from the listing (listCursors)
		}
		_, next, err := cs.cl.Changes(ctx, cs.c, "")
		if err != nil {
			e.log.Warn("syncengine: start cursor", "collection", cs.c, "side", cs.side, "error", err)
			continue
		}
		out[cs.cursorName()] = next
	}
	return out
}

// SyncChanges runs an incremental sync: the records each source reports
// changed since the stored cursor go through the same plan and apply as
// SyncIDs. A source that cannot list changes (no ChangeLister) is left
// to the next full Sync: a two-way TalentHR ⇔ TalentLMS pair syncs
// TalentHR's changes and leaves TalentLMS's to the daily Sync. When no
// source can list changes, or one has no cursor yet (never fully
// synced), it runs Sync instead. Cursors advance only after a run in
// which no record failed, so failures are read again next time.
func (e *Engine) SyncChanges(ctx context.Context) (*Report, error) {
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer e.unlock(unlock)
	sel := map[Collection]map[Side][]string{}
	next := map[string]string{}
	listing := 0
	for _, cs := range e.changeSources() {
		if cs.cl == nil {
			continue // its changes wait for the next full Sync
		}
		listing++
		cur, err := e.cfg.Store.Cursor(ctx, e.cfg.Pair, cs.cursorName())
		if err != nil {
			return nil, fmt.Errorf("syncengine: read cursor: %w", err)
		}
		if cur == "" {
			return e.syncLocked(ctx)
		}
		ids, n, err := cs.cl.Changes(ctx, cs.c, cur)
		if err != nil {
			return nil, fmt.Errorf("syncengine: list changes of %s %s: %w", e.conn(cs.side).Name(), cs.c, err)
		}
		if sel[cs.c] == nil {
			sel[cs.c] = map[Side][]string{}
		}
		sel[cs.c][cs.side] = ids
		next[cs.cursorName()] = n
	}
	if listing == 0 {
		return e.syncLocked(ctx)
	}
	r := e.startRun(e.cfg.DryRun)
	p, err := e.planEvent(ctx, sel)
	if err != nil {
		return e.finishRun(ctx, r, nil, nil, err)
	}
	return e.execute(ctx, r, p, next)
}
