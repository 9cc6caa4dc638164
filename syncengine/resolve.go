package syncengine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// errAlreadyDone marks a create found already done by an earlier run.
var errAlreadyDone = errors.New("already done")

// create writes a new record on the target side and commits its link. A
// source already linked (a plan applied twice, a rerun) is not created again.
func (a *applier) create(ctx context.Context, i int) error {
	ch := &a.plan.Changes[i]
	rec, err := a.prepareCreate(ctx, i)
	if err != nil {
		return err
	}
	tgt := ch.Source.other()
	id, found, err := a.createOrAdopt(ctx, i, tgt, rec, 0)
	if err != nil {
		return err
	}
	return a.linkCreated(ctx, i, tgt, id, rec, found)
}

// prepareCreate drops a stale link the change replaces, refuses a source
// already linked (errAlreadyDone) and builds the record to create, with
// the references it can carry (enrollments always; others when the
// target's Create sets references, CanCreateRefs).
func (a *applier) prepareCreate(ctx context.Context, i int) (Record, error) {
	ch, o := &a.plan.Changes[i], &a.outs[i]
	src := ch.Source
	tgt := src.other()
	c := ch.Collection
	srcID := ch.idOn(src)
	if a.unlink[i] {
		if err := a.stored(a.e.cfg.Store.DeleteLink(context.WithoutCancel(ctx), a.e.cfg.Pair, c, ch.Unlink)); err != nil {
			return Record{}, fmt.Errorf("drop stale link %q: %w", ch.Unlink, err)
		}
		a.mu.Lock()
		a.links[c].del(ch.Unlink)
		a.mu.Unlock()
	}
	a.mu.Lock()
	t := a.links[c]
	existing := t.aOf(srcID)
	if src == SideA {
		existing = t.link(srcID).BID
	}
	a.mu.Unlock()
	if existing != "" {
		a.newID[i] = existing
		o.Note = joinMsg(o.Note, "already linked to "+existing+"; not created again")
		return Record{}, errAlreadyDone
	}
	rec := Record{Fields: a.createFields(ch, srcID), Active: true}
	if c == Enrollments {
		refs, err := a.translateAll(ch)
		if err != nil {
			return Record{}, err
		}
		rec.Refs = refs
	} else if a.e.conn(tgt).Capabilities(c).Has(CanCreateRefs) {
		rec.Refs = a.refsFor(i, tgt)
	}
	return rec, nil
}

// createFields is the fields map a create sends: the one the plan's map
// made, when it holds exactly the change's Fields, less the nil values
// the plan left out (deleted from it here: the map is the plan's own,
// read by nothing else by now); else one built from the Fields.
func (a *applier) createFields(ch *Change, srcID string) map[string]any {
	if m := a.reads.creates[baseKey{ch.Collection, ch.Source, srcID}]; m != nil && holdsExactly(m, ch.Fields) {
		if len(m) > len(ch.Fields) {
			maps.DeleteFunc(m, func(_ string, v any) bool { return v == nil })
		}
		return m
	}
	m := make(map[string]any, len(ch.Fields))
	for _, d := range ch.Fields {
		m[d.Field] = d.New
	}
	return m
}

// holdsExactly reports whether m holds ds's fields with the same values
// and, besides them, only nil values. Only plain values are compared; any
// other value reports false. ds must name its fields in ascending order,
// as the engine's plans do, so that a field named twice cannot stand in
// for one m holds and ds does not name; any other order reports false.
func holdsExactly(m map[string]any, ds []FieldDiff) bool {
	for k := 1; k < len(ds); k++ {
		if ds[k-1].Field >= ds[k].Field {
			return false
		}
	}
	set := 0
	for _, v := range m {
		if v != nil {
			set++
		}
	}
	if set != len(ds) {
		return false
	}
	for _, d := range ds {
		if v, ok := m[d.Field]; !ok || !samePlain(v, d.New) {
			return false
		}
	}
	return true
}

// samePlain reports whether a and b are the same plain value. Interface
// comparison checks the dynamic types first, so a b of any other type is
// unequal, never a panic.
func samePlain(a, b any) bool {
	switch a.(type) {
	case string, bool, int, int64, float64:
		return a == b
	}
	return false
}

// linkCreated commits the link of change i's new record id (found when it
// was adopted after an unknown outcome or a conflict), and notes which
// references the create carried.
func (a *applier) linkCreated(ctx context.Context, i int, tgt Side, id string, rec Record, found *Record) error {
	ch, o := &a.plan.Changes[i], &a.outs[i]
	c := ch.Collection
	srcID := ch.idOn(ch.Source)
	a.newID[i] = id
	aID, bID := srcID, id
	if tgt == SideA {
		aID, bID = id, srcID
	}
	o.AID, o.BID = aID, bID
	synced := ch.Synced
	var uerr error
	if found != nil {
		o.Note = joinMsg(o.Note, "the create's outcome was unknown or refused as a duplicate; adopted the record found by match key")
		if uerr = a.reconcileAdopted(ctx, c, tgt, found, rec); uerr != nil {
			synced = map[string]string{}
		}
		if c != Enrollments && len(rec.Refs) > 0 {
			// The references the record found already has (a bulk job set
			// them) are not written again.
			same := map[string][]Ref{}
			for role, rs := range rec.Refs {
				if refsEqual(found.Refs[role], rs) {
					same[role] = rs
				}
			}
			a.markRefs(i, tgt, same)
		}
	} else if c != Enrollments && len(rec.Refs) > 0 {
		a.markRefs(i, tgt, rec.Refs)
	}
	return errors.Join(uerr, a.commit(ctx, c, aID, bID, synced))
}

// createOrAdopt creates rec on side tgt, from attempt on. When the
// outcome is unknown it looks the record up by match key first and adopts
// what it finds; only a record proven absent is created again. Where
// look-ups are batched (parks) it parks the create instead, and returns
// errParked: settleParked looks it up with the rest of its level.
func (a *applier) createOrAdopt(ctx context.Context, i int, tgt Side, rec Record, attempt int) (string, *Record, error) {
	ch := &a.plan.Changes[i]
	conn := a.e.conn(tgt)
	where := fmt.Sprintf("create in %s %s", conn.Name(), ch.Collection)
	for ; ; attempt++ {
		a.e.log.Debug("syncengine: create", "connector", conn.Name(), "collection", ch.Collection, "attempt", attempt)
		id, err := conn.Create(ctx, ch.Collection, rec)
		if err == nil {
			return id, nil, nil
		}
		if ctx.Err() != nil {
			// Stopping: the next run finds a record that did get created by its match key.
			return "", nil, fmt.Errorf("%s: %w", where, err)
		}
		unknown := errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, context.DeadlineExceeded)
		if unknown || errors.Is(err, ErrConflict) {
			// An unknown outcome may have created it; a conflict ("username
			// taken") may be the same person created by an earlier run whose
			// link was lost. Either way, look before anything else.
			if a.parks(ch.Collection, tgt) {
				a.park(&parked{i: i, tgt: tgt, rec: rec, attempt: attempt, err: err, unknown: unknown})
				return "", nil, errParked
			}
			found, ferr := a.lookup(ctx, ch.Collection, tgt, rec)
			if found != nil && ferr == nil {
				return found.ID, found, nil
			}
			if err := afterLookup(where, err, ferr, unknown); err != nil {
				return "", nil, err
			}
		}
		if err := a.again(ctx, where, err, unknown, attempt); err != nil {
			return "", nil, err
		}
	}
}

// afterLookup is the error of a create whose look-up failed (ferr), or
// found nothing after a conflict; nil when the create may be sent again.
func afterLookup(where string, err, ferr error, unknown bool) error {
	if ferr != nil {
		return fmt.Errorf("%s: %v; the look-up by match key failed, not retried: %w", where, err, ferr)
	}
	if !unknown {
		return fmt.Errorf("%s: %w (no record with this match key to adopt)", where, err)
	}
	return nil
}

// again reports whether a create that failed with err at attempt is sent
// again (nil, after the retry wait) or not (the error to report). A create
// proven absent after an unknown outcome is safe to send again; otherwise
// only errors that may pass are retried.
func (a *applier) again(ctx context.Context, where string, err error, unknown bool, attempt int) error {
	if attempt >= a.e.cfg.Retries || !(unknown || Retryable(err)) {
		return fmt.Errorf("%s: %w", where, err)
	}
	if a.e.wait(ctx) != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// lookup finds the record a create may have made, by the direction's
// match keys in precedence order, through Finder or a fresh List scan.
func (a *applier) lookup(ctx context.Context, c Collection, tgt Side, rec Record) (*Record, error) {
	r := a.e.rules(a.e.collection(c), tgt)
	if r == nil || len(r.Match) == 0 {
		return nil, errors.New("no match key to look the record up by")
	}
	conn := a.e.conn(tgt)
	finder, canFind := conn.(Finder)
	canFind = canFind && conn.Capabilities(c).Has(CanFind)
	read := candidates{e: a.e, tgt: tgt, c: c}
	for _, k := range r.Match {
		v := rec.Fields[k.Field]
		kv := targetKey(&rec, k) // rec's refs are already translated to the target's ids
		if kv == "" {
			continue
		}
		var find func() ([]Record, error)
		if canFind {
			find = func() ([]Record, error) { return finder.Find(ctx, c, k.Field, v) }
		}
		cands, err := read.of(ctx, k, find)
		if err != nil {
			return nil, err
		}
		hits := a.unlinkedHits(c, tgt, cands, k, kv)
		switch len(hits) {
		case 0:
			continue
		case 1:
			return &hits[0], nil
		default:
			return nil, fmt.Errorf("%d records in %s have %s %q", len(hits), conn.Name(), k.Field, kv)
		}
	}
	return nil, nil
}

// candidates reads the records a look-up's match keys may find.
type candidates struct {
	e      *Engine
	tgt    Side
	c      Collection
	all    []Record
	listed bool
}

// of returns the candidates of key k: what find returns (nil: the
// connector cannot look k up), else one List of the collection, made
// once and shared by every key.
func (r *candidates) of(ctx context.Context, k MatchKey, find func() ([]Record, error)) ([]Record, error) {
	if find != nil && len(k.Refs) == 0 {
		var out []Record
		err := r.e.retry(ctx, func() (err error) {
			out, err = find()
			return err
		})
		return out, err
	}
	if !r.listed {
		all, err := r.e.listAll(ctx, r.tgt, r.c)
		if err != nil {
			return nil, err
		}
		r.all, r.listed = all, true
	}
	return r.all, nil
}

// unlinkedHits keeps the candidates that hold the key value and belong to
// no other link.
func (a *applier) unlinkedHits(c Collection, tgt Side, cands []Record, k MatchKey, kv string) []Record {
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.links[c]
	var hits []Record
	for i := range cands {
		r := cands[i]
		if targetKey(&r, k) != kv {
			continue
		}
		linked := t.aOf(r.ID) != ""
		if tgt == SideA {
			linked = t.has(r.ID)
		}
		if !linked {
			hits = append(hits, r)
		}
	}
	return hits
}

func (e *Engine) listAll(ctx context.Context, s Side, c Collection) ([]Record, error) {
	var out []Record
	err := e.retry(ctx, func() error {
		out = out[:0]
		for r, err := range e.conn(s).List(ctx, c) {
			if err != nil && !incomplete(r, err) {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// reconcileAdopted writes the fields in which an adopted record differs
// from the one the engine meant to create.
func (a *applier) reconcileAdopted(ctx context.Context, c Collection, tgt Side, found *Record, want Record) error {
	diff := map[string]any{}
	for f, v := range want.Fields {
		if Canonical(v) != Canonical(found.Fields[f]) {
			diff[f] = v
		}
	}
	if len(diff) == 0 {
		return nil
	}
	conn := a.e.conn(tgt)
	if err := a.e.retry(ctx, func() error { return conn.Update(ctx, c, found.ID, diff) }); err != nil {
		return fmt.Errorf("update adopted %s %s %q: %w", conn.Name(), c, found.ID, err)
	}
	return nil
}

// retry calls fn, an idempotent call (a read, an update, a set-active),
// until it succeeds, fails with an error that is neither Retryable nor an
// unknown outcome (which an idempotent call may repeat), or Config.Retries
// extra attempts are spent.
func (e *Engine) retry(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		again := Retryable(err) || errors.Is(err, ErrOutcomeUnknown)
		if err == nil || attempt >= e.cfg.Retries || !again || ctx.Err() != nil {
			return err
		}
		if e.wait(ctx) != nil {
			return err
		}
	}
}

func (e *Engine) wait(ctx context.Context) error {
	if e.cfg.RetryWait <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(e.cfg.RetryWait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
