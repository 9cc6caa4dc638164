package syncengine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// snapshot is one side's scoped records of a collection.
type snapshot struct {
	recs []Record
	idx  map[string]int32
	// part holds the records List could read only in part
	// (ErrIncomplete), with why: kept for linking and matching, written
	// neither to nor from.
	part map[int32]error
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
		if err != nil && !incomplete(r, err) {
			return s, fmt.Errorf("syncengine: list %s %s: %w", conn.Name(), c, err)
		}
		// One hash per record, not a lookup then an insert: a repeated
		// id leaves the index no longer.
		n := len(s.idx)
		j := s.add(r)
		if len(s.idx) == n || r.ID == "" {
			return s, fmt.Errorf("syncengine: list %s %s: record id %q empty or repeated", conn.Name(), c, r.ID)
		}
		if err != nil {
			if s.part == nil {
				s.part = map[int32]error{}
			}
			s.part[j] = err
		}
	}
	return s, nil
}

// incomplete reports whether List yielded r read in part: an error
// wrapping ErrIncomplete that names a record, which does not end the
// listing.
func incomplete(r Record, err error) bool {
	return r.ID != "" && errors.Is(err, ErrIncomplete)
}

// loadCollection reads both sides and the links; ev (when non-nil)
// supplies them instead for an event-driven plan.
func (e *Engine) loadCollection(ctx context.Context, st *planState, cr *CollectionRules, ev *eventInput) (*collPlan, error) {
	cp := &collPlan{e: e, cr: cr, st: st}
	for i := range cp.caps {
		conn := e.conn(sideOf(i))
		cp.caps[i] = conn.Capabilities(cr.Collection)
		cp.desc[i], _ = conn.(Describer)
		cp.scoper[i], _ = conn.(Scoper)
	}
	if ev != nil {
		cp.snap, cp.links, cp.named, cp.errs = ev.snap, ev.links, &ev.named, ev.errs
	} else {
		links, err := e.cfg.Store.Links(ctx, e.cfg.Pair, cr.Collection)
		if err != nil {
			return nil, fmt.Errorf("syncengine: read links of %s: %w", cr.Collection, err)
		}
		cp.links = links
		// Both systems are read at once: their calls overlap, so a plan
		// takes as long as the slower listing, not the sum of both.
		var errs [2]error
		var wg sync.WaitGroup
		for i := range cp.snap {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cp.snap[i], errs[i] = e.list(ctx, sideOf(i), cr.Collection, len(links)+len(links)/8)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs[0], errs[1]); err != nil {
			return nil, err
		}
	}
	if err := cp.prepare(ctx); err != nil {
		return nil, err
	}
	cp.attachLinks(ctx)
	cp.mapUnpaired()
	return cp, nil
}

// prepare readies each side that flows to the other: scope, dates, the
// create-only targets and the schema's dropped fields.
func (cp *collPlan) prepare(ctx context.Context) error {
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
		if co, ok := r.Map.(CreateOnlyMap); ok {
			cp.co[1-i] = co
		}
		drop, err := cp.schemaDrop(ctx, 1-i, r)
		if err != nil {
			return err
		}
		cp.drop[i] = drop
		cp.scoped[i] = make([]bool, n)
		for j := range cp.snap[i].recs {
			rec := &cp.snap[i].recs[j]
			cp.dates(i, int32(j), r, rec)
			cp.scoped[i][j] = (r.Scope == nil || r.Scope(*rec)) &&
				(cp.scoper[i] == nil || cp.scoper[i].InScope(cp.cr.Collection, *rec))
		}
	}
	return nil
}

// mapUnpaired maps the records that have no pair through the links: they
// are matched and planned for creation, so their mappings are kept. A
// linked record is mapped when its pair is planned, into a map reused
// from pair to pair (mapOf): a re-sync of 100k linked people keeps no
// 100k mapped copies.
func (cp *collPlan) mapUnpaired() {
	for i := range cp.snap {
		r := cp.e.rules(cp.cr, sideOf(i).other())
		if r == nil {
			continue
		}
		// Non-nil even when empty: the side flows. The per-record slices
		// exist once a record is unpaired; a re-sync of linked records
		// (the common run) allocates none.
		cp.mapped[i] = []map[string]any{}
		cp.flat[i] = cp.newFlatVals(i, r)
		n := len(cp.snap[i].recs)
		for j, p := range cp.pairOf[i] {
			if p >= 0 {
				continue
			}
			if len(cp.mapped[i]) == 0 {
				cp.mapped[i] = make([]map[string]any, n)
				cp.mrefs[i] = make([]map[string][]Ref, n)
				cp.mapErr[i] = make([]error, n)
			}
			cp.mapped[i][j], cp.mrefs[i][j], cp.mapErr[i][j] = cp.mapInto(i, &cp.snap[i].recs[j], nil)
		}
	}
}

// mapOf returns record j of side i mapped to the other side: the kept
// mapping of an unpaired record, else a fresh one into buf (nil: a new
// map), which the caller must not keep beyond its next use of buf.
func (cp *collPlan) mapOf(i int, j int32, buf map[string]any) (map[string]any, map[string][]Ref, error) {
	if cp.mapped[i] == nil {
		return nil, nil, nil
	}
	if cp.kept(i, j) {
		return cp.mapped[i][j], cp.mrefs[i][j], cp.mapErr[i][j]
	}
	return cp.mapInto(i, &cp.snap[i].recs[j], buf)
}

// kept reports whether record j of side i has a kept mapping (it was
// unpaired through the links).
func (cp *collPlan) kept(i int, j int32) bool {
	return int(j) < len(cp.mapped[i]) && cp.mapped[i][j] != nil
}

// mapInto maps rec of side i, into buf when the map can fill one.
func (cp *collPlan) mapInto(i int, rec *Record, buf map[string]any) (map[string]any, map[string][]Ref, error) {
	r := cp.e.rules(cp.cr, sideOf(i).other())
	m, refs, err := mapRecordInto(r, rec.Fields, buf)
	if len(cp.drop[i]) > 0 {
		m = without(m, cp.drop[i])
	}
	return m, refs, err
}

// without is m less the fields in drop, as a new map (m may be a source
// record's own fields). A dotted name ("custom_fields.ssn") drops that
// leaf of a nested map, which is copied, not changed.
func without(m map[string]any, drop map[string]bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !drop[k] {
			out[k] = v
		}
	}
	for f := range drop {
		if strings.Contains(f, ".") {
			dropPath(out, strings.Split(f, "."))
		}
	}
	return out
}

// dropPath deletes the leaf at path from m, copying each nested map on
// the way so the caller's maps stay as they were.
func dropPath(m map[string]any, path []string) {
	if len(path) == 1 {
		delete(m, path[0])
		return
	}
	inner, ok := m[path[0]].(map[string]any)
	if !ok {
		return
	}
	c := make(map[string]any, len(inner))
	for k, v := range inner {
		c[k] = v
	}
	dropPath(c, path[1:])
	m[path[0]] = c
}

// FieldMapTo is implemented by FieldMaps that can fill a map the caller
// owns (mapping.Map's ApplyTo): the planner reuses one from pair to pair,
// for a FieldMap that owns its fast paths (see FastPathOwner).
type FieldMapTo interface {
	ApplyTo(dst, src map[string]any) error
}

// FastPathOwner is implemented by FieldMaps that may have ApplyTo and
// ApplyValues promoted from an embedded type (mapping.Map's
// OwnsFastPaths): the engine uses FieldMapTo and FieldMapValues only when
// OwnsFastPaths(fm) is true for the FieldMap fm itself. A type embedding
// *mapping.Map that overrides Apply is then mapped with its own Apply, not
// with the embedded ApplyTo or ApplyValues; one that overrides all three
// declares its own OwnsFastPaths. A FieldMap without the method owns its
// fast paths.
type FastPathOwner interface {
	OwnsFastPaths(fm any) bool
}

// ownsFastPaths reports whether fm's ApplyTo and ApplyValues are its own.
func ownsFastPaths(fm FieldMap) bool {
	o, ok := fm.(FastPathOwner)
	return !ok || o.OwnsFastPaths(fm)
}

// mapRecord runs a direction's FieldMap and field filter over src and
// splits reference values out of the result.
func mapRecord(r *Rules, src map[string]any) (map[string]any, map[string][]Ref, error) {
	return mapRecordInto(r, src, nil)
}

// mapRecordInto is mapRecord filling buf (when not nil and the map is a
// FieldMapTo) instead of a new map.
func mapRecordInto(r *Rules, src, buf map[string]any) (map[string]any, map[string][]Ref, error) {
	if r.Map == nil && len(r.Fields) == 0 {
		return src, nil, nil
	}
	out := src
	var err error
	if mt, ok := r.Map.(FieldMapTo); ok && buf != nil && ownsFastPaths(r.Map) {
		err, out = mt.ApplyTo(buf, src), buf
	} else if r.Map != nil {
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
	cp.pairs = make([]pair, 0, len(cp.links)+16)
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
			cp.stale[src] = map[int32]Link{}
		}
		cp.stale[src][p.rec[src]] = *l
		if cp.gone[tgt] == nil {
			cp.gone[tgt] = map[string]bool{}
		}
		cp.gone[tgt][ids[tgt]] = true
		return false
	default:
		cp.errs = append(cp.errs, Change{Collection: cp.cr.Collection, Action: ActionError, Source: sideOf(src),
			AID: l.AID, BID: l.BID, Error: fmt.Sprintf("read linked record: %v", err)})
		cp.pairOf[src][p.rec[src]] = -2 // neither paired nor free
		return false
	}
}
