package syncengine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Plans the engine made recently are applied as they are; any other plan
// (saved as JSON and applied by another process, or older than
// Config.FreshFor) is checked against the target first, the way Terraform
// refuses a stale saved plan: each record it would write is read again,
// and a change whose target no longer holds the values the plan saw
// (an admin edited the field, the record was deactivated or deleted) is
// refused for that record — "stale: plan again" — while the rest applies.

// maxMadePlans bounds the plans an engine remembers having made.
const maxMadePlans = 8

// verifyListAt: checking this many records or more of one collection
// lists the target once instead of reading each record.
const verifyListAt = 20

func newPlanID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// madePlan is what the engine remembers of a plan it made.
type madePlan struct {
	at    time.Time
	reads planReads
}

// planReads is what a plan read that its apply can use.
type planReads struct {
	bases map[baseKey]*Record // the target records the plan read and would write
	at    time.Time           // when bases were read: a write later than FreshFor after reads again
	// creates holds, by source record, each create's fields as the map
	// made them: the record a create sends, built once, while it holds
	// the change's Fields (see applier.createFields).
	creates map[baseKey]map[string]any
}

// remember records that the engine made p, having read reads: as of
// reads.at, the plan's start (before its listings, which run at once, so
// the age of its reads counts from the earliest of them).
func (e *Engine) remember(p *Plan, reads planReads) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.made == nil {
		e.made = map[string]madePlan{}
	}
	if len(e.made) >= maxMadePlans {
		oldest := ""
		for id, m := range e.made {
			if oldest == "" || m.at.Before(e.made[oldest].at) {
				oldest = id
			}
		}
		delete(e.made, oldest)
	}
	e.made[p.ID] = madePlan{at: reads.at, reads: reads}
}

// reads returns what p read, if this engine made it: the creates' fields,
// and the target records while they are fresh (Config.FreshFor), which a
// RecordWriter writes on without reading again.
func (e *Engine) reads(p *Plan) planReads {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.made[p.ID]
	if !ok {
		return planReads{}
	}
	if e.cfg.Now().Sub(m.at) >= e.cfg.FreshFor {
		m.reads.bases = nil
	}
	m.reads.at = m.at
	return m.reads
}

// fresh reports whether p is a plan this engine made within FreshFor.
func (e *Engine) fresh(p *Plan) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.made[p.ID]
	return ok && p.ID != "" && e.cfg.Now().Sub(m.at) < e.cfg.FreshFor
}

// verifyTarget returns p with every change whose target changed since p
// was made turned into an error change naming what changed (stale), and
// the records it read, which the writes then start from.
func (e *Engine) verifyTarget(ctx context.Context, p *Plan) (*Plan, map[baseKey]*Record, error) {
	type group struct {
		c    Collection
		side Side
	}
	need := map[group][]int{}
	for i := range p.Changes {
		ch := &p.Changes[i]
		for _, s := range ch.writtenSides() {
			g := group{ch.Collection, s}
			need[g] = append(need[g], i)
		}
	}
	out := *p
	out.Changes = slices.Clone(p.Changes)
	if err := e.verifyLinks(ctx, out.Changes); err != nil {
		return nil, nil, err
	}
	if len(need) == 0 {
		return &out, nil, nil
	}
	bases := map[baseKey]*Record{}
	for g, idx := range need {
		recs, err := e.readTargets(ctx, g.c, g.side, idx, p)
		if err != nil {
			return nil, nil, fmt.Errorf("syncengine: apply: check the plan against %s: %w", e.conn(g.side).Name(), err)
		}
		for _, i := range idx {
			if rec := recs[out.Changes[i].idOn(g.side)]; rec != nil {
				bases[baseKey{g.c, g.side, rec.ID}] = rec
			}
			ch := &out.Changes[i]
			if ch.Action == ActionError {
				continue
			}
			now := recs[ch.idOn(g.side)]
			if applied(ch, g.side, now) {
				ch.Action, ch.Reason, ch.Fields, ch.Refs = ActionSkip, ReasonAlreadyApplied, nil, nil
				continue
			}
			if why := staleReason(ch, g.side, now); why != "" {
				ch.Action, ch.Reason, ch.Fields, ch.Refs, ch.Link, ch.Synced = ActionError, "", nil, nil, false, nil
				ch.Error = "stale: " + why + " since the plan was made; plan again"
			}
		}
	}
	return &out, bases, nil
}

// verifyLinks turns each change that links a pair the plan matched into
// an error change when the Store now links either record to another: a
// run since the plan was made linked them otherwise, and linking them
// again would give one record two links.
func (e *Engine) verifyLinks(ctx context.Context, changes []Change) error {
	type index struct{ byA, byB map[string]string }
	read := map[Collection]*index{}
	for i := range changes {
		ch := &changes[i]
		if !ch.Link || ch.Action == ActionError || ch.AID == "" || ch.BID == "" {
			continue
		}
		t := read[ch.Collection]
		if t == nil {
			ls, err := e.cfg.Store.Links(ctx, e.cfg.Pair, ch.Collection)
			if err != nil {
				return fmt.Errorf("syncengine: apply: check the plan's links of %s: %w", ch.Collection, err)
			}
			t = &index{byA: make(map[string]string, len(ls)), byB: make(map[string]string, len(ls))}
			for _, l := range ls {
				t.byA[l.AID], t.byB[l.BID] = l.BID, l.AID
			}
			read[ch.Collection] = t
		}
		var why string
		switch b, a := t.byA[ch.AID], t.byB[ch.BID]; {
		case b != "" && b != ch.BID && !(ch.Unlink == ch.AID && ch.UnlinkB == b):
			why = fmt.Sprintf("%s %q is now linked to %s %q", e.cfg.A.Name(), ch.AID, e.cfg.B.Name(), b)
		case a != "" && a != ch.AID && !(ch.Unlink == a && ch.UnlinkB == ch.BID):
			why = fmt.Sprintf("%s %q is now linked to %s %q", e.cfg.B.Name(), ch.BID, e.cfg.A.Name(), a)
		default:
			continue
		}
		ch.Action, ch.Reason, ch.Fields, ch.Refs, ch.Link, ch.Synced = ActionError, "", nil, nil, false, nil
		ch.Error = "stale: " + why + " since the plan was made; plan again"
	}
	return nil
}

// writtenSides lists the sides a change writes to an existing record.
func (c *Change) writtenSides() []Side {
	var out []Side
	for _, s := range []Side{SideA, SideB} {
		if c.idOn(s) == "" {
			continue
		}
		writes := slices.ContainsFunc(c.Fields, func(d FieldDiff) bool { return d.Side == s }) ||
			slices.ContainsFunc(c.Refs, func(r RefDiff) bool { return r.Side == s })
		if writes {
			out = append(out, s)
		}
	}
	return out
}

func (c *Change) idOn(s Side) string {
	if s == SideA {
		return c.AID
	}
	return c.BID
}

// readTargets reads the records of side the changes idx write: one by one,
// or with one listing when there are many.
func (e *Engine) readTargets(ctx context.Context, c Collection, side Side, idx []int, p *Plan) (map[string]*Record, error) {
	conn := e.conn(side)
	out := make(map[string]*Record, len(idx))
	caps := conn.Capabilities(c)
	if len(idx) >= verifyListAt && caps.Has(CanList) || !caps.Has(CanGet) {
		all, err := e.listAll(ctx, side, c)
		if err != nil {
			return nil, err
		}
		for i := range all {
			out[all[i].ID] = &all[i]
		}
		return out, nil
	}
	for _, i := range idx {
		id := p.Changes[i].idOn(side)
		var rec Record
		err := e.retry(ctx, func() (err error) {
			rec, err = conn.Get(ctx, c, id)
			return err
		})
		switch {
		case err == nil:
			out[id] = &rec
		case isNotFound(err):
		default:
			return nil, err
		}
	}
	return out, nil
}

// staleReason says how the record now differs from what ch saw on side,
// or "" when it does not.
func staleReason(ch *Change, side Side, now *Record) string {
	if now == nil {
		return fmt.Sprintf("%s %q is gone", ch.Collection, ch.idOn(side))
	}
	var diffs []string
	for _, d := range ch.Fields {
		if d.Side != side {
			continue
		}
		var have any = now.Active
		if d.Field != ActiveField {
			have = fieldAt(now.Fields, d.Field)
		}
		if Canonical(have) != Canonical(d.Old) {
			diffs = append(diffs, fmt.Sprintf("%s was %s, is now %s", d.Field, valueText(d.Old), valueText(have)))
		}
	}
	for _, r := range ch.Refs {
		if r.Side == side && !sameRefs(r.Old, now.Refs[r.Role]) {
			diffs = append(diffs, fmt.Sprintf("%s was %s, is now %s", r.Role, refsText(r.Old), refsText(now.Refs[r.Role])))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}

// applied reports whether the record on side already holds everything ch
// writes there: the plan was applied before.
func applied(ch *Change, side Side, now *Record) bool {
	if now == nil {
		return false
	}
	for _, d := range ch.Fields {
		if d.Side != side {
			continue
		}
		var have any = now.Active
		if d.Field != ActiveField {
			have = fieldAt(now.Fields, d.Field)
		}
		if Canonical(have) != Canonical(d.New) {
			return false
		}
	}
	for _, r := range ch.Refs {
		if r.Side == side && !sameRefs(r.New, now.Refs[r.Role]) {
			return false
		}
	}
	return true
}

// sameRefs compares two ref lists as sets (pending ids included).
func sameRefs(a, b []Ref) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := sortRefs(a), sortRefs(b)
	return slices.Equal(x, y)
}
