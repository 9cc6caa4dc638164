package syncengine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
)

// Apply carries out p exactly as reviewed: the changes it lists and
// nothing else (use Plan.Only for a subset). It holds the pair's lock,
// commits each record's link as soon as the record is written, and
// records the run in the store's history. A plan that exceeded the
// deactivation threshold is refused with ErrThresholdExceeded unless
// released with Plan.AllowDeactivations or narrowed with Plan.Only.
func (e *Engine) Apply(ctx context.Context, p *Plan) (*Report, error) {
	if p.Pair != e.cfg.Pair {
		return nil, fmt.Errorf("%w: the plan is for pair %q, the engine for %q", ErrWrongPlan, p.Pair, e.cfg.Pair)
	}
	if p.Version != PlanVersion {
		return nil, fmt.Errorf("%w: the plan's format is version %d, this build applies version %d; plan again", ErrWrongPlan, p.Version, PlanVersion)
	}
	for i := range p.Changes {
		if err := e.checkChange(i, &p.Changes[i]); err != nil {
			return nil, err
		}
	}
	unlock, err := e.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer e.unlock(unlock)
	run := e.startRun(false)
	if p.Held != nil {
		return e.finishRun(ctx, run, p, nil, ErrThresholdExceeded)
	}
	reads := e.reads(p)
	if !e.fresh(p) {
		at := e.cfg.Now()
		checked, read, err := e.verifyTarget(ctx, p)
		if err != nil {
			return e.finishRun(ctx, run, p, nil, err)
		}
		p, reads.bases, reads.at = checked, read, at
	}
	outs, err := e.apply(ctx, p, reads)
	if derr := e.saveDues(ctx, p, outs, !p.Partial); derr != nil && err == nil {
		err = derr
	}
	return e.finishRun(ctx, run, p, outs, err)
}

// lock waits for the engine's turn, then takes the store's lock of the pair.
func (e *Engine) lock(ctx context.Context) (func() error, error) {
	select {
	case e.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("syncengine: wait for the running sync of %q: %w", e.cfg.Pair, ctx.Err())
	}
	unlock, err := e.cfg.Store.Lock(ctx, e.cfg.Pair)
	if err != nil {
		<-e.turn
		return nil, fmt.Errorf("syncengine: lock %q: %w", e.cfg.Pair, err)
	}
	return func() error {
		defer func() { <-e.turn }()
		return unlock()
	}, nil
}

func (e *Engine) unlock(unlock func() error) {
	if err := unlock(); err != nil {
		e.log.Warn("syncengine: unlock", "pair", e.cfg.Pair, "error", err)
	}
}

// applier runs one plan.
type applier struct {
	e     *Engine
	plan  *Plan
	links map[Collection]*linkTable
	outs  []Outcome
	newID []string // per change: the id a create got
	// reads holds the target records the plan read (RecordWriter's
	// Write.Base) and its creates' fields.
	reads planReads
	// refsDone marks, per change, the sides whose references were written
	// with the record (a create or a RecordWriter's write), a bit per side.
	refsDone []refSides
	// matched holds the pairs the plan matched (Change.Link), by
	// collection and [side index of the id]: a reference to one translates
	// before its change stores the link.
	matched map[Collection]*[2]map[string]string
	// unlink marks, per change, a stale link (Change.Unlink) the change
	// drops: one the link table still held as the plan saw it.
	unlink []bool

	// stop ends the run when the Store refuses a write because the pair's
	// lock was lost (a lease that expired or was taken over): another
	// holder runs the pair now, and this run must write nothing more.
	stop context.CancelCauseFunc

	mu     sync.Mutex // guards links, parked and progress
	parked []*parked  // creates waiting for their level's look-up (settleParked)
	done   int
	total  int // progress steps of all passes
}

// linkTable is the in-memory copy of a collection's links during apply:
// the store's list, indexed by A and B id, and the links this run wrote
// on top of it. Indexes keep the table small: a 10,000-link pair would
// otherwise copy every Link into a map for the few a run writes.
type linkTable struct {
	read  []Link           // as the store listed them; never written (the store may keep them)
	added []Link           // written by this run, at index len(read)+i
	byA   map[string]int32 // A id → index of its link
	byB   map[string]int32 // B id → index of the link that last named it
}

// newLinkTable indexes ls, with room for n more links.
func newLinkTable(ls []Link, n int) *linkTable {
	t := &linkTable{read: ls, added: make([]Link, 0, n),
		byA: make(map[string]int32, len(ls)+n), byB: make(map[string]int32, len(ls)+n)}
	for i, l := range ls {
		t.index(int32(i), l)
	}
	return t
}

// index makes l, at index i, the link of its A id and of its B id.
func (t *linkTable) index(i int32, l Link) {
	if j, ok := t.byA[l.AID]; ok {
		if old := t.at(j); old.BID != l.BID {
			delete(t.byB, old.BID)
		}
	}
	t.byA[l.AID], t.byB[l.BID] = i, i
}

func (t *linkTable) at(i int32) Link {
	if int(i) < len(t.read) {
		return t.read[i]
	}
	return t.added[int(i)-len(t.read)]
}

func (t *linkTable) put(l Link) {
	t.added = append(t.added, l)
	t.index(int32(len(t.read)+len(t.added)-1), l)
}

func (t *linkTable) del(aID string) {
	if i, ok := t.byA[aID]; ok {
		delete(t.byB, t.at(i).BID)
		delete(t.byA, aID)
	}
}

// link is the link of aID; the zero Link when there is none.
func (t *linkTable) link(aID string) Link {
	i, ok := t.byA[aID]
	if !ok {
		return Link{}
	}
	return t.at(i)
}

func (t *linkTable) has(aID string) bool {
	_, ok := t.byA[aID]
	return ok
}

// aOf is the A id linked to bID, "" when none is.
func (t *linkTable) aOf(bID string) string {
	i, ok := t.byB[bID]
	if !ok {
		return ""
	}
	return t.at(i).AID
}

// apply runs the plan: records (teams, users), then references, then
// enrollments, each phase with bounded concurrency. bases holds target
// records the plan read, for RecordWriter.
func (e *Engine) apply(ctx context.Context, p *Plan, reads planReads) ([]Outcome, error) {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	a := &applier{e: e, plan: p, links: map[Collection]*linkTable{}, reads: reads,
		outs: make([]Outcome, len(p.Changes)), newID: make([]string, len(p.Changes)),
		refsDone: make([]refSides, len(p.Changes)), stop: stop}
	var names outcomeNames
	for i := range p.Changes {
		a.outs[i] = e.outcomeOf(&p.Changes[i], StatusSkipped, &names)
	}
	for _, cr := range e.cfg.Collections {
		ls, err := e.cfg.Store.Links(ctx, e.cfg.Pair, cr.Collection)
		if err != nil {
			return a.outs, fmt.Errorf("syncengine: read links of %s: %w", cr.Collection, err)
		}
		creates := 0 // each adds a link
		for i := range p.Changes {
			if ch := &p.Changes[i]; ch.Collection == cr.Collection && ch.Action == ActionCreate {
				creates++
			}
		}
		a.links[cr.Collection] = newLinkTable(ls, creates)
	}
	a.matched, a.unlink = map[Collection]*[2]map[string]string{}, make([]bool, len(p.Changes))
	for i := range p.Changes {
		ch := &p.Changes[i]
		if a.stillStale(ch.staleLink()) {
			// A stale link (its target is gone) translates no reference;
			// the change drops it from the store.
			a.links[ch.Collection].del(ch.Unlink)
			a.unlink[i] = true
		}
		if ch.Link && ch.AID != "" && ch.BID != "" && ch.Action != ActionError && ch.Reason != ReasonHeldBack {
			m := a.matched[ch.Collection]
			if m == nil {
				m = &[2]map[string]string{{}, {}}
				a.matched[ch.Collection] = m
			}
			m[0][ch.AID], m[1][ch.BID] = ch.BID, ch.AID
		}
	}
	for _, s := range p.Stale {
		// Left out by Only: translates nothing; its own change drops it.
		if a.stillStale(s) {
			a.links[s.Collection].del(s.AID)
		}
	}
	records := a.pick(func(i int) bool { return p.Changes[i].Collection != Enrollments })
	refs := a.pick(func(i int) bool { return p.Changes[i].Collection != Enrollments && len(p.Changes[i].Refs) > 0 })
	enrolls := a.pick(func(i int) bool { return p.Changes[i].Collection == Enrollments })
	a.total = len(records) + len(refs) + len(enrolls)
	a.phase(ctx, PhaseRecords, len(records))
	a.runRecords(ctx, records)
	// References not written with their record (the connector writes them
	// apart, or they point at a record created later in the run); a change
	// whose references went with its record takes its step at no cost.
	a.phase(ctx, PhaseReferences, len(refs))
	a.run(ctx, refs, a.applyRefsStep)
	a.phase(ctx, PhaseEnrollments, len(enrolls))
	a.runRecords(ctx, enrolls)
	return a.outs, context.Cause(ctx)
}

// stored passes on the error of a Store write, first stopping the run
// when the write was refused because the pair's lock was lost.
func (a *applier) stored(err error) error {
	if errors.Is(err, ErrLocked) {
		a.stop(fmt.Errorf("syncengine: run of %q stopped: the store refused a write: %w", a.e.cfg.Pair, err))
	}
	return err
}

func (a *applier) pick(want func(int) bool) []int {
	var out []int
	for i := range a.plan.Changes {
		if want(i) {
			out = append(out, i)
		}
	}
	return out
}

func (a *applier) phase(ctx context.Context, p Phase, steps int) {
	if steps > 0 && a.e.cfg.OnPhase != nil && ctx.Err() == nil {
		a.e.cfg.OnPhase(p, steps)
	}
}

// runRecords writes the records of idx collection by collection in the
// configured order. First the writes to existing records that point at no
// record created in this run: while the plan's reads are fresh (a long
// run's creates would age them past Config.FreshFor, each costing a read
// more), and before the creates, so a username or email an update or a
// deactivation frees is free for a create. A reference to a pair matched
// in this run translates through the plan's match, before that pair's
// change stores the link. Then the creates, in reference order (a manager
// before the people who report to them, so each create can carry its
// references), in bulk where the connector can; then the writes that point
// at a created record.
func (a *applier) runRecords(ctx context.Context, idx []int) {
	for _, cr := range a.e.cfg.Collections {
		var creates, early, late []int
		for _, i := range idx {
			switch ch := &a.plan.Changes[i]; {
			case ch.Collection != cr.Collection:
			case ch.Action == ActionCreate:
				creates = append(creates, i)
			case refersToCreate(ch):
				late = append(late, i)
			default:
				early = append(early, i)
			}
		}
		a.run(ctx, early, a.applyRecord)
		for _, level := range a.levels(creates) {
			a.runCreates(ctx, level)
		}
		a.run(ctx, late, a.applyRecord)
	}
}

// refersToCreate reports whether ch sets a reference to a record created
// in the same run (RefDiff.New holds it with an empty ID).
func refersToCreate(ch *Change) bool {
	for _, rd := range ch.Refs {
		for _, r := range rd.New {
			if r.ID == "" {
				return true
			}
		}
	}
	return false
}

// run calls fn for each change of idx, Concurrency at a time. Changes not
// reached because ctx ended are marked not attempted.
func (a *applier) run(ctx context.Context, idx []int, fn func(context.Context, int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(a.e.cfg.Concurrency, max(len(idx), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if ctx.Err() != nil { // stopped while i waited for this worker
					a.notAttempted(i)
					continue
				}
				fn(ctx, i)
			}
		}()
	}
	for _, i := range idx {
		if ctx.Err() != nil {
			a.notAttempted(i)
			continue
		}
		work <- i
	}
	close(work)
	wg.Wait()
}

func (a *applier) notAttempted(i int) {
	if c := &a.plan.Changes[i]; (c.writes() || len(c.Refs) > 0) && a.outs[i].Status != StatusFailed &&
		a.outs[i].Status != StatusApplied {
		a.outs[i].Status, a.outs[i].Retry = StatusNotAttempted, true
		a.e.settle(&a.outs[i])
	}
}

// applyRecord writes one change's record (pass one).
func (a *applier) applyRecord(ctx context.Context, i int) {
	ch := &a.plan.Changes[i]
	o := &a.outs[i]
	var err error
	switch ch.Action {
	case ActionCreate:
		if err = a.create(ctx, i); errors.Is(err, errParked) {
			return // settleParked finishes it
		}
	case ActionUpdate, ActionDeactivate, ActionReactivate:
		err = a.update(ctx, i)
	case ActionSkip, ActionConflict:
		if (ch.Link || ch.Synced != nil) && ch.Reason != ReasonHeldBack && ch.AID != "" && ch.BID != "" {
			if err = a.dropStale(ctx, i); err == nil {
				err = a.commit(ctx, ch.Collection, ch.AID, ch.BID, ch.Synced)
			}
		}
	}
	switch {
	case errors.Is(err, errAlreadyDone):
		o.Status = StatusSkipped
	case err != nil:
		o.Status, o.Error = StatusFailed, joinMsg(o.Error, a.e.scrub(ch, err.Error()))
		o.Retry = o.Retry || Retryable(err) || errors.Is(err, ErrOutcomeUnknown)
	case ch.Action == ActionError:
		o.Status = StatusFailed
	case ch.Action == ActionCreate || ch.Action == ActionUpdate ||
		ch.Action == ActionDeactivate || ch.Action == ActionReactivate:
		o.Status = StatusApplied
	}
	a.progress(o)
}

func (a *applier) progress(o *Outcome) {
	a.e.settle(o)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done++
	if a.e.cfg.OnProgress != nil {
		a.e.cfg.OnProgress(a.done, a.total, *o)
	}
}

// update writes a pair's field, active-flag and reference changes side by
// side — in one call per side when the connector is a RecordWriter — then
// commits the link: the planned synced values when every side succeeded,
// else the previous ones plus what did get written.
func (a *applier) update(ctx context.Context, i int) error {
	ch := &a.plan.Changes[i]
	var errs []error
	var wrote []FieldDiff
	for _, side := range []Side{SideA, SideB} {
		ds := diffsOn(ch.Fields, side)
		id := ch.idOn(side)
		if rw := a.recordWriter(ch.Collection, side); rw != nil {
			refs := a.refsFor(i, side)
			if len(ds) == 0 && len(refs) == 0 {
				continue
			}
			if err := a.writeRecord(ctx, rw, ch.Collection, side, id, ds, refs); err != nil {
				errs = append(errs, err)
				continue
			}
			a.markRefs(i, side, refs)
			wrote = append(wrote, ds...)
			continue
		}
		if len(ds) == 0 {
			continue
		}
		if err := a.writeSide(ctx, ch.Collection, side, id, ds); err != nil {
			errs = append(errs, err)
			continue
		}
		wrote = append(wrote, ds...)
	}
	synced := ch.Synced
	if len(errs) > 0 {
		synced = a.partialSynced(ch, wrote)
	}
	a.mu.Lock()
	linked := a.links[ch.Collection].link(ch.AID).BID == ch.BID
	a.mu.Unlock()
	if err := a.dropStale(ctx, i); err != nil {
		errs = append(errs, err)
	}
	if synced != nil || !linked {
		if err := a.commit(ctx, ch.Collection, ch.AID, ch.BID, synced); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func diffsOn(ds []FieldDiff, side Side) []FieldDiff {
	var out []FieldDiff
	for _, d := range ds {
		if d.Side == side {
			out = append(out, d)
		}
	}
	return out
}

// writeSide applies diffs to one record: a reactivation first, then the
// fields, then a deactivation (systems may refuse to edit inactive records).
func (a *applier) writeSide(ctx context.Context, c Collection, side Side, id string, ds []FieldDiff) error {
	conn := a.e.conn(side)
	fields := map[string]any{}
	var active *bool
	for _, d := range ds {
		if d.Field == ActiveField {
			v, _ := d.New.(bool)
			active = &v
			continue
		}
		setPath(fields, d.Field, d.New)
	}
	setActive := func() error {
		return a.e.retry(ctx, func() error { return conn.SetActive(ctx, c, id, *active) })
	}
	if active != nil && *active {
		if err := setActive(); err != nil {
			return fmt.Errorf("reactivate %s %s %q: %w", conn.Name(), c, id, err)
		}
	}
	if len(fields) > 0 {
		a.e.log.Debug("syncengine: update", "connector", conn.Name(), "collection", c, "id", id, "fields", len(fields))
		if err := a.e.retry(ctx, func() error { return conn.Update(ctx, c, id, fields) }); err != nil {
			return fmt.Errorf("update %s %s %q: %w", conn.Name(), c, id, err)
		}
	}
	if active != nil && !*active {
		if err := setActive(); err != nil {
			return fmt.Errorf("deactivate %s %s %q: %w", conn.Name(), c, id, err)
		}
	}
	return nil
}

// partialSynced is the link's previous synced values plus the fields
// that were written.
func (a *applier) partialSynced(ch *Change, wrote []FieldDiff) map[string]string {
	if len(wrote) == 0 {
		return nil
	}
	a.mu.Lock()
	old := a.links[ch.Collection].link(ch.AID).Synced
	a.mu.Unlock()
	out := maps.Clone(old)
	if out == nil {
		out = map[string]string{}
	}
	for _, d := range wrote {
		out[string(d.Side)+"."+d.Field] = Canonical(d.New)
	}
	a.e.hashSensitive(ch.Collection, out)
	return out
}

// commit stores the link (aID, bID) with synced (nil keeps the old
// values). It runs even when ctx is cancelled: the write it records has
// happened and must not be forgotten.
func (a *applier) commit(ctx context.Context, c Collection, aID, bID string, synced map[string]string) error {
	ctx = context.WithoutCancel(ctx)
	a.mu.Lock()
	t := a.links[c]
	if synced == nil {
		synced = t.link(aID).Synced
	}
	l := Link{Collection: c, AID: aID, BID: bID, Synced: synced, UpdatedAt: a.e.cfg.Now().UTC()}
	t.put(l)
	a.mu.Unlock()
	if err := a.stored(a.e.cfg.Store.PutLink(ctx, a.e.cfg.Pair, l)); err != nil {
		return fmt.Errorf("store link %s %q<->%q: %w", c, aID, bID, err)
	}
	return nil
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// dropStale deletes the stale link a matched pair's change replaces when
// it is stored under another A id (Change.Unlink of a B -> A pair).
func (a *applier) dropStale(ctx context.Context, i int) error {
	ch := &a.plan.Changes[i]
	if !ch.Link || !a.unlink[i] || ch.Unlink == ch.AID {
		return nil
	}
	if err := a.stored(a.e.cfg.Store.DeleteLink(context.WithoutCancel(ctx), a.e.cfg.Pair, ch.Collection, ch.Unlink)); err != nil {
		return fmt.Errorf("drop stale link %q: %w", ch.Unlink, err)
	}
	return nil
}

// stillStale reports whether the stale link s is in the link table as the
// plan saw it: not yet replaced by a link a run (this one, or an earlier
// apply of the same plan) stored. a.mu is held, or apply has not started
// its workers.
func (a *applier) stillStale(s StaleLink) bool {
	t := a.links[s.Collection]
	if s.AID == "" || t == nil {
		return false
	}
	return s.BID == "" || t.link(s.AID).BID == s.BID
}
