package syncengine

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Plan reads both sides' scoped snapshots and the link table and returns
// what a sync would do. It writes nothing.
func (e *Engine) Plan(ctx context.Context) (*Plan, error) {
	st := e.newPlanState()
	for i := range e.cfg.Collections {
		cr := &e.cfg.Collections[i]
		cp, err := e.loadCollection(ctx, st, cr, nil)
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
	links   map[Collection][]Link    // event-driven: links of collections not planned
	reads   planReads
	targets int
	event   bool // event-driven: only the named records
}

// idMap translates ids across the pair for one collection.
type idMap struct {
	to      [2]map[string]string // [side index of the id] id → counterpart id
	pending [2]map[string]bool   // [side index] ids whose counterpart is created in this run
	// live: [side index] ids of records paired in this run with an
	// in-scope record of the other side; nil when the collection is not
	// planned (then every linked id counts).
	live [2]map[string]bool
	// gone: [side index] ids of records deleted from that side whose link
	// is stale: managed, so a reference to one is never kept as unmanaged.
	gone [2]map[string]bool
}

// managed reports whether id, a record of side si, is one the run manages.
func (m *idMap) managed(si int, id string) bool {
	if m.gone[si][id] {
		return true
	}
	if m.live[si] == nil {
		return m.to[si][id] != ""
	}
	return m.live[si][id]
}

// newIDMap returns an empty idMap whose translations are sized for n ids
// a side.
func newIDMap(n int) *idMap {
	m := &idMap{}
	for i := range m.to {
		m.to[i] = make(map[string]string, n)
		m.pending[i], m.gone[i] = map[string]bool{}, map[string]bool{}
	}
	return m
}

func (e *Engine) newPlanState() *planState {
	start := e.cfg.Now() // with its monotonic reading, for FreshFor
	return &planState{e: e, ids: map[Collection]*idMap{}, colls: map[Collection]*collPlan{},
		links: map[Collection][]Link{}, reads: planReads{bases: map[baseKey]*Record{}, creates: map[baseKey]map[string]any{}, at: start}, plan: &Plan{
			Version: PlanVersion, ID: newPlanID(), Pair: e.cfg.Pair, A: e.cfg.A.Name(), B: e.cfg.B.Name(),
			Direction: e.cfg.Direction, CreatedAt: start.UTC(), ShowSensitive: e.cfg.ShowSensitive,
		}}
}

// finish applies the deactivation threshold, orders the changes and
// remembers the plan with the target records it read.
func (st *planState) finish() *Plan {
	p := st.plan
	defer st.e.remember(p, st.reads)
	for i := range p.Changes {
		st.e.markSensitive(&p.Changes[i])
	}
	n := p.Summary().Deactivate
	th := st.e.cfg.Threshold
	if n > 0 {
		pct := 100 * float64(n) / float64(max(st.targets, 1))
		if (th.MaxCount > 0 && n > th.MaxCount) || (th.MaxPercent > 0 && pct > th.MaxPercent) {
			p.hold(Hold{Deactivations: n, TargetRecords: st.targets, Threshold: th})
		}
	}
	return p
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
	stale  [2]map[int32]Link      // record whose linked counterpart is gone → that stale link
	gone   [2]map[string]bool     // [side] ids a stale link named that are gone from that side
	errs   []Change               // problems found while loading
	named  *[2]map[string]bool    // event-driven: the records the event names
	caps   [2]Capability          // what each side's connector can do with the collection
	st     *planState             // the plan this collection is part of
	drop   [2]map[string]bool     // fields the schemas keep from flowing out of each side
	buf    [2]map[string]any      // reused mappings of linked records (planPair)
	flat   [2]*flatVals           // the same, as values, when the map has a flat form
	kbuf   [2]map[string]any      // reused mappings for match keys of linked records
	due    [2]map[int32][]Due     // source records that fall due (a leave date, a start date to come)
	hold   [2]map[int32]time.Time // source records not created before their start date
	desc   [2]Describer           // each side's connector, when it names records
	scoper [2]Scoper              // each side's connector, when it scopes what flows out
	co     [2]CreateOnlyMap       // [target side] the FieldMap's create-only targets, if it has any
	keys   [2]map[int32]string    // first match key value of unpaired records
	dups   [2]map[int32]string    // unpaired records whose create would duplicate a key value → why
	names  []string               // the field names of the last create's mapping, sorted (createDiffs)
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

// plan matches unlinked records and turns everything into changes.
func (cp *collPlan) plan(ctx context.Context, st *planState) {
	cp.st = st
	conflicts := cp.matchAll()
	st.colls[cp.cr.Collection] = cp
	for i := range cp.snap {
		if cp.e.rules(cp.cr, sideOf(i)) == nil {
			continue
		}
		if st.event {
			// An event's snapshot holds only the records it names: take the
			// threshold's percentage of the linked population instead.
			st.targets += len(cp.links)
		} else {
			st.targets += len(cp.snap[i].recs)
		}
	}
	out := make([]Change, 0, len(cp.pairs)+len(conflicts)+len(cp.errs)+len(cp.unpaired(0))+len(cp.unpaired(1)))
	out = append(out, cp.errs...)
	out = append(out, conflicts...)
	for pi := range cp.pairs {
		p := &cp.pairs[pi]
		if p.ghost {
			continue
		}
		if err := cp.partOf(p); err != nil {
			out = append(out, cp.partChange(p.rec, err))
			continue
		}
		out = append(out, Change{})
		cp.planPair(st, p, &out[len(out)-1])
	}
	out = cp.planCreates(st, out)
	cp.keepBases(st, out)
	sortChanges(out)
	cp.markCycles(out)
	if st.plan.Changes == nil {
		st.plan.Changes = out
	} else {
		st.plan.Changes = append(st.plan.Changes, out...)
	}
}

// partOf is why a record of p was read only in part, or nil.
func (cp *collPlan) partOf(p *pair) error {
	for i, j := range p.rec {
		if j >= 0 && cp.snap[i].part[j] != nil {
			return cp.snap[i].part[j]
		}
	}
	return nil
}

// partChange is the error change of records (per side, -1 when absent)
// one of which was read only in part: nothing is written to or from them
// in this run.
func (cp *collPlan) partChange(rec [2]int32, err error) Change {
	ch := Change{Collection: cp.cr.Collection, Action: ActionError,
		Error: fmt.Sprintf("read in part, so nothing is written to or from it in this run: %v", err)}
	for i, j := range rec {
		if j >= 0 {
			cp.setID(&ch, i, cp.snap[i].recs[j].ID)
			if ch.Name == "" {
				ch.Name = cp.label(i, &cp.snap[i].recs[j])
			}
		}
	}
	return ch
}

// markCycles marks the references among out's creates that close a
// cycle (RefDiff.Later), where the target creates records with their
// references: apply orders the creates the same way (createLevels, in the
// plan's order) and writes those afterwards. Without CanCreateRefs every
// reference of a create is written afterwards, so none is marked.
func (cp *collPlan) markCycles(out []Change) {
	var creates []int
	for i := range out {
		ch := &out[i]
		if ch.Action == ActionCreate && len(ch.Refs) > 0 && cp.can(1-sideIndex(ch.Source), CanCreateRefs) {
			creates = append(creates, i)
		}
	}
	createLevels(out, creates, func(i, ri int) { out[i].Refs[ri].Later = true })
}

// keepBases records the target records the changes write.
func (cp *collPlan) keepBases(st *planState, out []Change) {
	for i := range out {
		for _, s := range out[i].writtenSides() {
			si := sideIndex(s)
			if j, ok := cp.snap[si].idx[out[i].idOn(s)]; ok {
				st.reads.bases[baseKey{cp.cr.Collection, s, out[i].idOn(s)}] = &cp.snap[si].recs[j]
			}
		}
	}
}

// sortChanges orders changes by id. It sorts indexes, then moves each
// (large) change once, following the permutation's cycles.
func sortChanges(changes []Change) {
	order := make([]int32, len(changes))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(i, j int) bool { return changeLess(&changes[order[i]], &changes[order[j]]) })
	// Position i must receive changes[order[i]].
	for i := range order {
		if order[i] < 0 {
			continue
		}
		tmp := changes[i]
		j := i
		for {
			k := int(order[j])
			order[j] = -1
			if k == i {
				changes[j] = tmp
				break
			}
			changes[j] = changes[k]
			j = k
		}
	}
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
		res := matchUnlinked(free, func(j int32, k MatchKey) string { return cp.srcKey(si, j, k) },
			cp.snap[ti].recs, r.Match, func(t int32) (string, bool) {
				p := cp.pairOf[ti][t]
				switch {
				case p == -2:
					// A conflict of the other direction's pass (or an
					// unreadable link): pairing it now would be a silent pick.
					return "is itself in a matching conflict", true
				case p < 0:
					return "", false
				}
				if o := cp.pairs[p].rec[si]; o >= 0 {
					return "is already linked to " + cp.snap[si].recs[o].ID, true
				}
				return "is already linked to " + cp.linkID(p, si), true
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
	ch := Change{Collection: cp.cr.Collection, Action: ActionConflict, Source: sideOf(si), Key: cp.shownKey(si, mc.src, cp.keys[si][mc.src]),
		Name: cp.label(si, &cp.snap[si].recs[mc.src])}
	ids := make([]string, len(mc.targets))
	for i, t := range mc.targets {
		ids[i] = cp.snap[ti].recs[t].ID
	}
	cp.setID(&ch, si, cp.snap[si].recs[mc.src].ID)
	if len(ids) == 1 {
		cp.setID(&ch, ti, ids[0])
	}
	ch.Error = fmt.Sprintf("%s (%s %v)", mc.reason, cp.e.conn(sideOf(ti)).Name(), ids)
	cp.unlink(&ch, si, mc.src) // apply translates nothing through it
	return ch
}

// srcKey is source record j of side si's value of match key k, in target
// terms: its mapped field, or its refs translated through the links.
func (cp *collPlan) srcKey(si int, j int32, k MatchKey) string {
	if cp.kbuf[si] == nil {
		cp.kbuf[si] = map[string]any{}
	}
	m, mrefs, _ := cp.mapOf(si, j, cp.kbuf[si])
	return cp.keyFrom(si, j, m, mrefs, k)
}

// keyFrom is srcKey given record j's mapping.
func (cp *collPlan) keyFrom(si int, j int32, m map[string]any, mrefs map[string][]Ref, k MatchKey) string {
	if len(k.Refs) == 0 {
		return keyValue(m[k.Field], k.Fold)
	}
	rec := &cp.snap[si].recs[j]
	refs := make(map[string][]Ref, len(k.Refs))
	for _, role := range k.Refs {
		rs := rec.Refs[role]
		if len(mrefs[role]) > 0 {
			rs = mrefs[role]
		}
		out := make([]Ref, 0, len(rs))
		for _, r := range rs {
			ids := cp.st.idMap(r.Collection)
			if ids == nil {
				return ""
			}
			out = append(out, Ref{Collection: r.Collection, ID: ids.to[si][r.ID]})
		}
		refs[role] = out
	}
	return refKey(refs, k.Refs)
}

// label is the display name side si's connector gives rec ("" without a Describer).
func (cp *collPlan) label(si int, rec *Record) string {
	if cp.desc[si] == nil || rec == nil {
		return ""
	}
	return cp.desc[si].Describe(cp.cr.Collection, *rec).Name
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
	var m *idMap
	switch ls, ok := st.links[c]; {
	case cp != nil:
		// Every link and every new pair translates: one id a pair at most.
		m = newIDMap(max(len(cp.links), len(cp.pairs)))
		cp.fillIDs(m)
	case ok:
		m = newIDMap(len(ls))
		for _, l := range ls {
			m.to[0][l.AID], m.to[1][l.BID] = l.BID, l.AID
		}
	default:
		return nil
	}
	st.ids[c] = m
	return m
}

// unlink names in ch the stale link of record j of side si, if it has one.
func (cp *collPlan) unlink(ch *Change, si int, j int32) {
	if l, ok := cp.stale[si][j]; ok {
		ch.Unlink, ch.UnlinkB = l.AID, l.BID
	}
}

// fillIDs records the id translations known before apply.
func (cp *collPlan) fillIDs(m *idMap) {
	for _, l := range cp.links {
		m.to[0][l.AID], m.to[1][l.BID] = l.BID, l.AID
	}
	m.live = [2]map[string]bool{make(map[string]bool, len(cp.pairs)), make(map[string]bool, len(cp.pairs))}
	for _, p := range cp.pairs {
		if p.rec[0] < 0 || p.rec[1] < 0 {
			continue
		}
		a, b := cp.snap[0].recs[p.rec[0]].ID, cp.snap[1].recs[p.rec[1]].ID
		for si, id := range [2]string{a, b} {
			if sc := cp.scoped[1-si]; sc == nil || sc[p.rec[1-si]] {
				m.live[si][id] = true
			}
		}
		if p.link < 0 {
			m.to[0][a], m.to[1][b] = b, a
		}
	}
	for si := range cp.snap {
		// A record whose link is stale (its counterpart was deleted) has
		// no counterpart: created again below (pending), else unresolved.
		for j := range cp.stale[si] {
			if cp.pairOf[si][j] < 0 { // not matched again in this run (unpaired, or in a conflict)
				id := cp.snap[si].recs[j].ID
				delete(m.to[si], id)
			}
		}
		for id := range cp.gone[si] {
			m.gone[si][id] = true // even when its source was matched again
		}
		if cp.e.rules(cp.cr, sideOf(1-si)) == nil {
			continue
		}
		for j, p := range cp.pairOf[si] {
			if p == -1 && cp.createable(si, int32(j), cp.dups[si]) {
				// A record whose link is stale (its counterpart was deleted)
				// is created again: a reference to it waits for that create,
				// not for the deleted record.
				id := cp.snap[si].recs[j].ID
				m.pending[si][id] = true
				delete(m.to[si], id)
			}
		}
	}
}
