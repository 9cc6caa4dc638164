package syncengine

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// Plan reads both sides' scoped snapshots and the link table and returns
// what a sync would do. It writes nothing.
func (e *Engine) Plan(ctx context.Context) (*Plan, error) {
	st := e.newPlanState()
	for i := range e.cfg.Collections {
		cr := &e.cfg.Collections[i]
		cp, err := e.loadCollection(ctx, cr, nil)
		if err != nil {
			return nil, err
		}
		cp.plan(ctx, st)
	}
	return st.finish(), nil
}

// planState carries what the collections of one plan share.
type planState struct {
	e       *Engine
	plan    *Plan
	ids     map[Collection]*idMap
	colls   map[Collection]*collPlan // planned so far, for ids
	targets int
	event   bool // event-driven: only the named records
}

// idMap translates ids across the pair for one collection.
type idMap struct {
	to      [2]map[string]string // [side index of the id] id → counterpart id
	pending [2]map[string]bool   // [side index] ids whose counterpart is created in this run
}

func newIDMap() *idMap {
	m := &idMap{}
	for i := range m.to {
		m.to[i] = map[string]string{}
		m.pending[i] = map[string]bool{}
	}
	return m
}

func (e *Engine) newPlanState() *planState {
	return &planState{e: e, ids: map[Collection]*idMap{}, colls: map[Collection]*collPlan{}, plan: &Plan{
		Pair: e.cfg.Pair, A: e.cfg.A.Name(), B: e.cfg.B.Name(),
		Direction: e.cfg.Direction, CreatedAt: e.cfg.Now().UTC(),
	}}
}

// finish applies the deactivation threshold and orders the changes.
func (st *planState) finish() *Plan {
	p := st.plan
	n := p.Summary().Deactivate
	th := st.e.cfg.Threshold
	if n > 0 {
		pct := 100 * float64(n) / float64(max(st.targets, 1))
		if (th.MaxCount > 0 && n > th.MaxCount) || (!st.event && th.MaxPercent > 0 && pct > th.MaxPercent) {
			p.hold(Hold{Deactivations: n, TargetRecords: st.targets, Threshold: th})
		}
	}
	return p
}

// snapshot is one side's scoped records of a collection.
type snapshot struct {
	recs []Record
	idx  map[string]int32
}

func (s *snapshot) add(r Record) int32 {
	i := int32(len(s.recs))
	s.recs = append(s.recs, r)
	s.idx[r.ID] = i
	return i
}

func (e *Engine) list(ctx context.Context, side Side, c Collection, hint int) (snapshot, error) {
	conn := e.conn(side)
	s := snapshot{idx: make(map[string]int32, hint), recs: make([]Record, 0, hint)}
	if !conn.Capabilities(c).Has(CanList) {
		return s, fmt.Errorf("syncengine: %s cannot list %s: %w", conn.Name(), c, ErrUnsupported)
	}
	for r, err := range conn.List(ctx, c) {
		if err != nil {
			return s, fmt.Errorf("syncengine: list %s %s: %w", conn.Name(), c, err)
		}
		if _, dup := s.idx[r.ID]; dup || r.ID == "" {
			return s, fmt.Errorf("syncengine: list %s %s: record id %q empty or repeated", conn.Name(), c, r.ID)
		}
		s.add(r)
	}
	return s, nil
}

// collPlan plans one collection. Arrays indexed [2] are per side (0 = A, 1 = B).
type collPlan struct {
	e      *Engine
	cr     *CollectionRules
	snap   [2]snapshot
	links  []Link
	pairOf [2][]int32 // record → pair index, -1 when unpaired
	pairs  []pair
	mapped [2][]map[string]any // record mapped to the other side's fields
	mrefs  [2][]map[string][]Ref
	mapErr [2][]error
	scoped [2][]bool
	stale  [2]map[int32]string // record whose linked counterpart is gone → stale link's A id
	errs   []Change            // problems found while loading
	named  *[2]map[string]bool // event-driven: the records the event names
	keys   [2]map[int32]string // first match key value of unpaired records
	dups   [2]map[int32]int    // unpaired records sharing a match key value
}

type pair struct {
	rec  [2]int32 // record index per side, -1 when absent from the snapshot
	link int32    // -1 for a pair matched in this run
	// ghost: an event-driven plan's pair no named record belongs to; it
	// only tells matching that its records are taken.
	ghost bool
}

func sideIndex(s Side) int {
	if s == SideA {
		return 0
	}
	return 1
}

func sideOf(i int) Side {
	if i == 0 {
		return SideA
	}
	return SideB
}

// loadCollection reads both sides and the links; ev (when non-nil)
// supplies them instead for an event-driven plan.
func (e *Engine) loadCollection(ctx context.Context, cr *CollectionRules, ev *eventInput) (*collPlan, error) {
	cp := &collPlan{e: e, cr: cr}
	if ev != nil {
		cp.snap, cp.links, cp.named, cp.errs = ev.snap, ev.links, &ev.named, ev.errs
	} else {
		links, err := e.cfg.Store.Links(ctx, e.cfg.Pair, cr.Collection)
		if err != nil {
			return nil, fmt.Errorf("syncengine: read links of %s: %w", cr.Collection, err)
		}
		cp.links = links
		for i := range cp.snap {
			s, err := e.list(ctx, sideOf(i), cr.Collection, len(links)+len(links)/8)
			if err != nil {
				return nil, err
			}
			cp.snap[i] = s
		}
	}
	cp.mapAll()
	cp.attachLinks(ctx)
	return cp, nil
}

// mapAll maps every record of each side that flows to the other side.
func (cp *collPlan) mapAll() {
	for i := range cp.snap {
		n := len(cp.snap[i].recs)
		cp.pairOf[i] = make([]int32, n)
		for j := range cp.pairOf[i] {
			cp.pairOf[i][j] = -1
		}
		r := cp.e.rules(cp.cr, sideOf(i).other())
		if r == nil {
			continue
		}
		cp.mapped[i] = make([]map[string]any, n)
		cp.mrefs[i] = make([]map[string][]Ref, n)
		cp.mapErr[i] = make([]error, n)
		cp.scoped[i] = make([]bool, n)
		for j := range cp.snap[i].recs {
			rec := &cp.snap[i].recs[j]
			cp.scoped[i][j] = r.Scope == nil || r.Scope(*rec)
			cp.mapped[i][j], cp.mrefs[i][j], cp.mapErr[i][j] = mapRecord(r, rec.Fields)
		}
	}
}

// mapRecord runs a direction's FieldMap and field filter over src and
// splits reference values out of the result.
func mapRecord(r *Rules, src map[string]any) (map[string]any, map[string][]Ref, error) {
	if r.Map == nil && len(r.Fields) == 0 {
		return src, nil, nil
	}
	out := src
	var err error
	if r.Map != nil {
		out, err = r.Map.Apply(src)
		if out == nil {
			out = map[string]any{}
		}
	}
	if len(r.Fields) > 0 {
		kept := make(map[string]any, len(r.Fields))
		for _, f := range r.Fields {
			if v, ok := out[f]; ok {
				kept[f] = v
			}
		}
		out = kept
	}
	if r.Map == nil {
		return out, nil, err
	}
	refs := splitRefs(out)
	return out, refs, err
}

// attachLinks pairs records through the link table. A one-way target
// missing from its snapshot is read by id: when it is gone the link is
// stale and the source is matched again.
func (cp *collPlan) attachLinks(ctx context.Context) {
	for li := range cp.links {
		l := &cp.links[li]
		p := pair{rec: [2]int32{-1, -1}, link: int32(li)}
		for i, id := range [2]string{l.AID, l.BID} {
			if j, ok := cp.snap[i].idx[id]; ok {
				p.rec[i] = j
			}
		}
		if cp.named != nil && !cp.named[0][l.AID] && !cp.named[1][l.BID] {
			if p.rec[0] < 0 && p.rec[1] < 0 {
				continue // a link of records this event does not concern
			}
			p.ghost = true
		} else if !cp.checkTarget(ctx, &p, l) {
			continue
		}
		if p.rec[1] >= 0 && cp.pairOf[1][p.rec[1]] >= 0 {
			cp.errs = append(cp.errs, Change{Collection: cp.cr.Collection, Action: ActionError,
				AID: l.AID, BID: l.BID, Error: fmt.Sprintf("%s %q is linked to two records", cp.e.cfg.B.Name(), l.BID)})
			continue
		}
		n := int32(len(cp.pairs))
		for i := range p.rec {
			if p.rec[i] >= 0 {
				cp.pairOf[i][p.rec[i]] = n
			}
		}
		cp.pairs = append(cp.pairs, p)
	}
}

// checkTarget handles a one-way link whose target is not in the target's
// snapshot. It returns false when the link must not form a pair.
func (cp *collPlan) checkTarget(ctx context.Context, p *pair, l *Link) bool {
	d := cp.e.cfg.Direction
	if d == TwoWay {
		return true
	}
	src, tgt := 0, 1
	if d == BToA {
		src, tgt = 1, 0
	}
	if p.rec[src] < 0 || p.rec[tgt] >= 0 {
		return true
	}
	ids := [2]string{l.AID, l.BID}
	conn := cp.e.conn(sideOf(tgt))
	if !conn.Capabilities(cp.cr.Collection).Has(CanGet) {
		return true // treated as out of the target's scope
	}
	var rec Record
	err := cp.e.retry(ctx, func() (err error) {
		rec, err = conn.Get(ctx, cp.cr.Collection, ids[tgt])
		return err
	})
	switch {
	case err == nil:
		p.rec[tgt] = cp.snap[tgt].add(rec)
		cp.pairOf[tgt] = append(cp.pairOf[tgt], -1)
		return true
	case errors.Is(err, ErrNotFound):
		if cp.stale[src] == nil {
			cp.stale[src] = map[int32]string{}
		}
		cp.stale[src][p.rec[src]] = l.AID
		return false
	default:
		cp.errs = append(cp.errs, Change{Collection: cp.cr.Collection, Action: ActionError, Source: sideOf(src),
			AID: l.AID, BID: l.BID, Error: fmt.Sprintf("read linked record: %v", err)})
		cp.pairOf[src][p.rec[src]] = -2 // neither paired nor free
		return false
	}
}

// plan matches unlinked records and turns everything into changes.
func (cp *collPlan) plan(ctx context.Context, st *planState) {
	conflicts := cp.matchAll()
	st.colls[cp.cr.Collection] = cp
	for i := range cp.snap {
		if cp.e.rules(cp.cr, sideOf(i)) != nil {
			st.targets += len(cp.snap[i].recs)
		}
	}
	out := make([]Change, 0, len(cp.pairs)+len(conflicts)+len(cp.errs))
	out = append(out, cp.errs...)
	out = append(out, conflicts...)
	for pi := range cp.pairs {
		if !cp.pairs[pi].ghost {
			out = append(out, cp.planPair(st, &cp.pairs[pi]))
		}
	}
	out = append(out, cp.planCreates(st)...)
	st.plan.Changes = appendSorted(st.plan.Changes, out)
}

// appendSorted appends changes to dst ordered by id. It sorts indexes, not
// the (large) changes themselves.
func appendSorted(dst, changes []Change) []Change {
	order := make([]int32, len(changes))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(i, j int) bool { return changeLess(&changes[order[i]], &changes[order[j]]) })
	if dst == nil {
		dst = make([]Change, 0, len(changes))
	}
	for _, i := range order {
		dst = append(dst, changes[i])
	}
	return dst
}

func changeLess(x, y *Change) bool {
	kx, ky := x.AID, y.AID
	if kx == "" {
		kx = x.BID
	}
	if ky == "" {
		ky = y.BID
	}
	if kx != ky {
		return kx < ky
	}
	return x.BID < y.BID
}

// matchAll runs the match keys of each configured direction over the
// records that have no pair yet and returns the conflicts found.
func (cp *collPlan) matchAll() []Change {
	var out []Change
	for si := range cp.snap {
		ti := 1 - si
		r := cp.e.rules(cp.cr, sideOf(ti))
		if r == nil {
			continue
		}
		var free []int32
		for j, p := range cp.pairOf[si] {
			if p == -1 && cp.scoped[si][j] {
				free = append(free, int32(j))
			}
		}
		res := matchUnlinked(free, func(j int32) map[string]any { return cp.mapped[si][j] },
			cp.snap[ti].recs, r.Match, func(t int32) (string, bool) {
				p := cp.pairOf[ti][t]
				if p < 0 {
					return "", false
				}
				if o := cp.pairs[p].rec[si]; o >= 0 {
					return cp.snap[si].recs[o].ID, true
				}
				return cp.linkID(p, si), true
			})
		cp.keys[si] = res.keys
		for _, m := range res.pairs {
			p := pair{link: -1}
			p.rec[si], p.rec[ti] = m[0], m[1]
			n := int32(len(cp.pairs))
			cp.pairOf[si][m[0]], cp.pairOf[ti][m[1]] = n, n
			cp.pairs = append(cp.pairs, p)
		}
		for _, mc := range res.conflicts {
			out = append(out, cp.conflictChange(si, mc))
			cp.pairOf[si][mc.src] = -2
		}
	}
	for si := range cp.snap {
		if cp.e.rules(cp.cr, sideOf(1-si)) != nil {
			cp.dups[si] = cp.dupKeys(si)
		}
	}
	return out
}

func (cp *collPlan) linkID(p int32, si int) string {
	l := cp.links[cp.pairs[p].link]
	if si == 0 {
		return l.AID
	}
	return l.BID
}

func (cp *collPlan) conflictChange(si int, mc matchConflict) Change {
	ti := 1 - si
	ch := Change{Collection: cp.cr.Collection, Action: ActionConflict, Source: sideOf(si), Key: cp.keys[si][mc.src]}
	ids := make([]string, len(mc.targets))
	for i, t := range mc.targets {
		ids[i] = cp.snap[ti].recs[t].ID
	}
	cp.setID(&ch, si, cp.snap[si].recs[mc.src].ID)
	if len(ids) == 1 {
		cp.setID(&ch, ti, ids[0])
	}
	ch.Error = fmt.Sprintf("%s (%s %v)", mc.reason, cp.e.conn(sideOf(ti)).Name(), ids)
	return ch
}

func (cp *collPlan) setID(ch *Change, si int, id string) {
	if si == 0 {
		ch.AID = id
	} else {
		ch.BID = id
	}
}

// idMap returns the id translations of collection c, built on first use
// (only records with references need them); nil when c is not planned.
func (st *planState) idMap(c Collection) *idMap {
	if m, ok := st.ids[c]; ok {
		return m
	}
	cp := st.colls[c]
	if cp == nil {
		return nil
	}
	m := newIDMap()
	cp.fillIDs(m)
	st.ids[c] = m
	return m
}

// fillIDs records the id translations known before apply.
func (cp *collPlan) fillIDs(m *idMap) {
	for _, l := range cp.links {
		m.to[0][l.AID], m.to[1][l.BID] = l.BID, l.AID
	}
	for _, p := range cp.pairs {
		if p.link >= 0 || p.rec[0] < 0 || p.rec[1] < 0 {
			continue
		}
		a, b := cp.snap[0].recs[p.rec[0]].ID, cp.snap[1].recs[p.rec[1]].ID
		m.to[0][a], m.to[1][b] = b, a
	}
	for si := range cp.snap {
		if cp.e.rules(cp.cr, sideOf(1-si)) == nil {
			continue
		}
		for j, p := range cp.pairOf[si] {
			if p == -1 && cp.createable(si, int32(j), cp.dups[si]) {
				m.pending[si][cp.snap[si].recs[j].ID] = true
			}
		}
	}
}
