package syncengine

import (
	"maps"
	"sort"
	"strconv"
)

// pairWork accumulates the plan of one pair of records. Arrays are per
// side (0 = A, 1 = B).
type pairWork struct {
	ch         *Change // where the plan goes (an entry of the plan's changes)
	rec        [2]*Record
	idx        [2]int32
	m          [2]map[string]any // each record mapped to the other side
	flat       [2]*flatVals      // or, when set, mapped as values (m is then built on demand)
	mrefs      [2]map[string][]Ref
	merr       [2]error // each record's mapping error
	old        map[string]string
	linked     bool
	writes     [2]map[string]any
	active     [2]*bool
	outOfScope bool
	mapErr     error
	// why says why a planned deactivation deactivates.
	why Reason
}

func (w *pairWork) put(ti int, f string, v any) {
	if w.writes[ti] == nil {
		w.writes[ti] = map[string]any{}
	}
	w.writes[ti][f] = v
}

// value is side i's field f (a dotted name for a nested leaf) once the
// planned writes are applied.
func (w *pairWork) value(i int, f string) any {
	if v, ok := w.writes[i][f]; ok {
		return v
	}
	return fieldAt(w.rec[i].Fields, f)
}

// mapping is record i mapped to the other side, as a map: built from its
// values when it was mapped as values.
func (w *pairWork) mapping(i int) map[string]any {
	if w.m[i] == nil && w.flat[i] != nil {
		w.m[i] = w.flat[i].toMap()
	}
	return w.m[i]
}

func (w *pairWork) isActive(i int) bool {
	if w.active[i] != nil {
		return *w.active[i]
	}
	return w.rec[i].Active
}

func (cp *collPlan) can(ti int, c Capability) bool {
	return cp.caps[ti].Has(c)
}

// planPair plans a linked or matched pair into ch, which is zero: an
// entry of the plan's changes, not a copy (a Change is some 300 bytes, and
// a re-sync of 100k people plans 100k of them).
func (cp *collPlan) planPair(st *planState, p *pair, ch *Change) {
	ch.Collection = cp.cr.Collection
	w := pairWork{ch: ch, idx: p.rec, linked: p.link >= 0}
	if w.linked {
		l := &cp.links[p.link]
		ch.AID, ch.BID, w.old = l.AID, l.BID, l.Synced
	}
	for i, j := range p.rec {
		if j < 0 {
			continue
		}
		w.rec[i] = &cp.snap[i].recs[j]
		cp.setID(ch, i, w.rec[i].ID)
		if fv := cp.flat[i]; fv != nil && !cp.kept(i, j) {
			w.flat[i] = fv
			w.mrefs[i], w.merr[i] = fv.apply(w.rec[i].Fields)
		} else if cp.mapped[i] != nil {
			if cp.buf[i] == nil {
				cp.buf[i] = map[string]any{}
			}
			w.m[i], w.mrefs[i], w.merr[i] = cp.mapOf(i, j, cp.buf[i])
		}
	}
	for ti := range w.rec {
		if cp.e.rules(cp.cr, sideOf(ti)) == nil {
			continue
		}
		si := 1 - ti
		switch {
		case w.rec[ti] == nil:
			w.outOfScope = true // the target left its own system's scope
		case w.rec[si] == nil:
			cp.outOfScope(&w, ti, ReasonSourceGone)
		case !cp.scoped[si][p.rec[si]]:
			cp.outOfScope(&w, ti, ReasonLeftScope)
		default:
			if err := cp.updateErr(ti, w.merr[si]); err != nil {
				w.mapErr = err
				continue
			}
			cp.flow(&w, si, ti)
			// A target that is and stays inactive keeps its references as
			// they are: systems take leavers out of their teams (Learn Amp
			// does), and writing them back would churn on every run.
			if active := w.active[ti]; w.rec[ti].Active || active != nil && *active {
				cp.planRefs(st, ch, si, w.rec[si], w.mrefs[si], w.rec[ti])
			}
		}
	}
	cp.finish(&w)
}

// flow plans the writes from side si into side ti of a pair.
func (cp *collPlan) flow(w *pairWork, si, ti int) {
	r, rev := cp.e.rules(cp.cr, sideOf(ti)), cp.e.rules(cp.cr, sideOf(si))
	// In two-way the reverse flow carries what changed on the target; when
	// it may not write, the pair is one-way for that kind of write.
	twoWay := rev != nil && rev.Update && cp.can(si, CanUpdate)
	canUpdate := r.Update && cp.can(ti, CanUpdate)
	t := w.rec[ti]
	if fv := w.flat[si]; fv != nil {
		for k, ok := range fv.set {
			if ok {
				cp.flowValue(w, ti, fv.names[k], fv.vals[k], t, twoWay, canUpdate)
			}
		}
	} else {
		for f, want := range w.m[si] {
			cp.flowValue(w, ti, f, want, t, twoWay, canUpdate)
		}
	}
	want, have := w.rec[si].Active, t.Active
	if want == have {
		return
	}
	revActive := rev != nil && cp.can(si, CanSetActive) && ((have && rev.Reactivate) || (!have && rev.Deactivate))
	if revActive && !cp.settle(w, ti, ActiveField, strconv.FormatBool(want), strconv.FormatBool(have)) {
		return
	}
	cp.setActive(w, ti, want, have)
	if !want {
		w.why = ReasonInactive
	}
}

// flowValue plans field f of target t, mapped to want.
func (cp *collPlan) flowValue(w *pairWork, ti int, f string, want any, t *Record, twoWay, canUpdate bool) {
	have := t.Fields[f]
	if ws, ok := want.(string); ok {
		if hs, ok := have.(string); ok && ws == hs {
			return // the common case: equal text, nothing to plan
		}
	}
	cp.flowField(w, ti, f, want, have, twoWay, canUpdate)
}

// flowField plans one field written into side ti. A nested map (custom
// fields, HiBob's nested paths) is compared leaf by leaf, under dotted
// names ("custom.shirt_size"), so a target that keeps only the custom
// fields it defines is not rewritten on every run, and only the leaves
// that differ are written.
func (cp *collPlan) flowField(w *pairWork, ti int, f string, want, have any, twoWay, canUpdate bool) {
	if wm, ok := want.(map[string]any); ok {
		hm, _ := have.(map[string]any)
		for k, v := range wm {
			cp.flowField(w, ti, f+"."+k, v, hm[k], twoWay, canUpdate)
		}
		return
	}
	wc, hc := Canonical(want), Canonical(have)
	if wc == hc {
		return
	}
	if merge := cp.merge(ti, f); merge != nil {
		// A merged field is decided by its rule, not by which side changed.
		want = merge(want, have)
		wc, twoWay = Canonical(want), false
	}
	if wc == hc || cp.createOnly(ti, f) || (twoWay && !cp.settle(w, ti, f, wc, hc)) {
		return
	}
	d := FieldDiff{Side: sideOf(ti), Field: f, Old: have, New: want}
	if canUpdate {
		w.put(ti, f, want)
		w.ch.Fields = append(w.ch.Fields, d)
	} else {
		w.ch.Blocked = append(w.ch.Blocked, d)
	}
}

// createOnly reports whether target ti's field f is written only when the
// record is created (CreateOnlyMap): updates neither compare nor write it.
func (cp *collPlan) createOnly(ti int, f string) bool {
	return cp.co[ti] != nil && cp.co[ti].CreateOnly(f)
}

// settle decides a two-way field difference from the last synced value:
// only the source changed → write; only the target changed → leave it to
// the reverse flow; both (or never synced) → a conflict, settled by policy.
func (cp *collPlan) settle(w *pairWork, ti int, f, want, have string) bool {
	sv, ok := w.old[string(sideOf(ti))+"."+f]
	is := func(v string) bool { return sv == v || sv == cp.e.syncedForm(cp.cr.Collection, sideOf(ti), f, v) }
	switch {
	case ok && is(have):
		return true
	case ok && is(want):
		return false
	}
	res, write := "skipped", false
	switch cp.e.cfg.Conflict {
	case AWins:
		res, write = "a wins", ti == 1
	case BWins:
		res, write = "b wins", ti == 0
	}
	w.ch.Conflicts = append(w.ch.Conflicts, FieldConflict{Side: sideOf(ti), Field: f,
		Want: want, Have: have, Synced: sv, Resolution: res})
	return write
}

// outOfScope applies the out-of-scope policy to target ti of a pair whose
// source left the scope; why says how (ReasonLeftScope, ReasonSourceGone).
func (cp *collPlan) outOfScope(w *pairWork, ti int, why Reason) {
	w.outOfScope = true
	if cp.e.cfg.OutOfScope == DeactivateOutOfScope && w.rec[ti].Active {
		cp.setActive(w, ti, false, true)
		w.why = why
	}
}

func (cp *collPlan) setActive(w *pairWork, ti int, want, have bool) {
	r := cp.e.rules(cp.cr, sideOf(ti))
	allowed := (want && r.Reactivate || !want && r.Deactivate) && cp.can(ti, CanSetActive)
	d := FieldDiff{Side: sideOf(ti), Field: ActiveField, Old: have, New: want}
	if !allowed {
		w.ch.Blocked = append(w.ch.Blocked, d)
		return
	}
	w.active[ti] = &want
	w.ch.Fields = append(w.ch.Fields, d)
}

// finish orders the diffs, picks the action and the link values to keep.
func (cp *collPlan) finish(w *pairWork) {
	ch := w.ch
	sortDiffs(ch.Fields)
	sortDiffs(ch.Blocked)
	if len(ch.Conflicts) > 1 {
		sort.Slice(ch.Conflicts, func(i, j int) bool {
			a, b := ch.Conflicts[i], ch.Conflicts[j]
			return a.Side < b.Side || a.Side == b.Side && a.Field < b.Field
		})
	}
	ch.Action, ch.Reason = decide(ch, w)
	ch.Source = cp.sourceOf(ch)
	for si, j := range w.idx {
		if j >= 0 && w.rec[1-si] != nil && w.rec[1-si].Active && cp.e.rules(cp.cr, sideOf(1-si)) != nil {
			ch.Due = append(ch.Due, cp.due[si][j]...)
		}
	}
	ch.Name = cp.pairLabel(w, ch.Source)
	ch.Link = !w.linked
	if ch.Link {
		// Matched again after its counterpart was deleted: the stale link
		// goes (dropStale deletes it when stored under another A id, a
		// one-way B -> A pair; an A -> B one is replaced by the commit), and
		// verifyLinks knows it as the link the plan saw.
		for si, j := range w.idx {
			if j >= 0 {
				cp.unlink(ch, si, j)
			}
		}
	}
	if cp.e.cfg.Direction == TwoWay {
		s := cp.newSynced(w)
		if !w.linked || !maps.Equal(s, w.old) {
			ch.Synced = s
		}
	}
	if ch.Action != ActionSkip || ch.Reason != ReasonUnchanged || len(ch.Due) > 0 {
		ch.Key = cp.keyOf(w)
	}
	if w.mapErr != nil {
		ch.Error, ch.Failures = cp.e.mapErrText(cp.cr.Collection, "", w.mapErr), fieldFailures(w.mapErr)
	}
}

func sortDiffs(d []FieldDiff) {
	if len(d) < 2 {
		return
	}
	sort.Slice(d, func(i, j int) bool {
		return d[i].Side < d[j].Side || d[i].Side == d[j].Side && d[i].Field < d[j].Field
	})
}

func decide(ch *Change, w *pairWork) (Action, Reason) {
	for _, f := range ch.Fields {
		if f.Field == ActiveField {
			if f.New == false {
				return ActionDeactivate, w.why
			}
			return ActionReactivate, ""
		}
	}
	if len(ch.Fields) > 0 || refsChanged(ch.Refs) {
		return ActionUpdate, ""
	}
	for _, c := range ch.Conflicts {
		if c.Resolution == "skipped" {
			return ActionConflict, ""
		}
	}
	switch {
	case w.mapErr != nil:
		return ActionSkip, ReasonMissingField
	case len(ch.Blocked) > 0:
		return ActionSkip, ReasonBlocked
	case w.outOfScope:
		return ActionSkip, ReasonOutOfScope
	}
	return ActionSkip, ReasonUnchanged
}

// pairLabel names the pair by its source record, else by either record.
func (cp *collPlan) pairLabel(w *pairWork, src Side) string {
	order := [2]int{0, 1}
	if src == SideB {
		order = [2]int{1, 0}
	}
	for _, i := range order {
		if n := cp.label(i, w.rec[i]); n != "" {
			return n
		}
	}
	return ""
}

// sourceOf names the side the change's data comes from.
func (cp *collPlan) sourceOf(ch *Change) Side {
	var wrote [2]bool
	for _, f := range ch.Fields {
		wrote[sideIndex(f.Side)] = true
	}
	for _, r := range ch.Refs {
		wrote[sideIndex(r.Side)] = true
	}
	switch {
	case wrote[0] && wrote[1]:
		return ""
	case wrote[1]:
		return SideA
	case wrote[0]:
		return SideB
	}
	switch cp.e.cfg.Direction {
	case AToB:
		return SideA
	case BToA:
		return SideB
	}
	return ""
}

// keyOf returns the first match key value of the pair, for display.
func (cp *collPlan) keyOf(w *pairWork) string {
	for si := range w.rec {
		r := cp.e.rules(cp.cr, sideOf(1-si))
		if r == nil || len(r.Match) == 0 || w.idx[si] < 0 || w.mapping(si) == nil {
			continue
		}
		if r.KeyField != "" {
			return Canonical(fieldAt(w.m[si], r.KeyField))
		}
		return cp.keyFrom(si, w.idx[si], w.m[si], w.mrefs[si], r.Match[0])
	}
	return ""
}

// shownKey is the key a change from record j of side si shows: the
// mapped Rules.KeyField when set, else key (the first match key's value).
func (cp *collPlan) shownKey(si int, j int32, key string) string {
	r := cp.e.rules(cp.cr, sideOf(1-si))
	if r == nil || r.KeyField == "" || int(j) >= len(cp.mapped[si]) || cp.mapped[si][j] == nil {
		return key
	}
	return Canonical(fieldAt(cp.mapped[si][j], r.KeyField))
}

// newSynced computes the link's last synced values once the pair's
// planned writes are applied: a field equal on both sides takes that
// value; any other keeps its previous one.
func (cp *collPlan) newSynced(w *pairWork) map[string]string {
	out := make(map[string]string, len(w.old)+8)
	for ti := range w.rec {
		r := cp.e.rules(cp.cr, sideOf(ti))
		if r == nil {
			continue
		}
		si := 1 - ti
		prefix := string(sideOf(ti)) + "."
		if w.rec[si] == nil || w.rec[ti] == nil || w.mapErr != nil || (w.idx[si] >= 0 && !cp.scoped[si][w.idx[si]]) {
			for k, v := range w.old {
				if len(k) > len(prefix) && k[:len(prefix)] == prefix {
					out[k] = v
				}
			}
			continue
		}
		m := w.mapping(si)
		if len(w.writes[si]) > 0 || m == nil {
			m, _, _ = mapRecord(r, overlay(w.rec[si].Fields, w.writes[si]))
		}
		eachLeaf(m, "", func(f string, v any) {
			if !cp.createOnly(ti, f) {
				keep(out, w.old, prefix+f, Canonical(v), Canonical(w.value(ti, f)))
			}
		})
		keep(out, w.old, prefix+ActiveField, strconv.FormatBool(w.isActive(si)), strconv.FormatBool(w.isActive(ti)))
		keepAbsent(out, w.old, prefix, m)
	}
	cp.e.hashSensitive(cp.cr.Collection, out)
	return out
}

// eachLeaf calls fn for every field of m, descending into nested maps
// under dotted names, as flowField compares them.
func eachLeaf(m map[string]any, prefix string, fn func(string, any)) {
	for k, v := range m {
		if inner, ok := v.(map[string]any); ok {
			eachLeaf(inner, prefix+k+".", fn)
			continue
		}
		fn(prefix+k, v)
	}
}

// keepAbsent keeps the previous synced values of side prefix's fields the
// mapped output m leaves out (mapping's skip_missing): nothing flowed, so
// the value last synced still tells which side changes later.
func keepAbsent(out, old map[string]string, prefix string, m map[string]any) {
	for k, v := range old {
		if len(k) <= len(prefix) || k[:len(prefix)] != prefix {
			continue
		}
		if _, done := out[k]; done {
			continue
		}
		if _, mapped := m[k[len(prefix):]]; !mapped {
			out[k] = v
		}
	}
}

func keep(out, old map[string]string, k, want, have string) {
	if want == have {
		out[k] = have
	} else if v, ok := old[k]; ok {
		out[k] = v
	}
}

func overlay(base, over map[string]any) map[string]any {
	if len(over) == 0 {
		return base
	}
	out := make(map[string]any, len(base)+len(over))
	maps.Copy(out, base)
	maps.Copy(out, over)
	return out
}
