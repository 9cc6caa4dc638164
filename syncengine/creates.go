package syncengine

import (
	"fmt"
	"slices"
)

// unpaired lists the records of side si that have no counterpart.
func (cp *collPlan) unpaired(si int) []int32 {
	var out []int32
	for j, p := range cp.pairOf[si] {
		if p == -1 {
			out = append(out, int32(j))
		}
	}
	return out
}

// dupKeys finds, among the unpaired records of side si that would be
// created, those whose value of any match key another such record shares,
// or a paired record of si maps to (its target takes that value in this
// run): creating them would make duplicates. It returns the conflict
// message per record.
func (cp *collPlan) dupKeys(si int) map[int32]string {
	r := cp.e.rules(cp.cr, sideOf(1-si))
	var cands []int32
	for _, j := range cp.unpaired(si) {
		if cp.scoped[si][j] && cp.snap[si].recs[j].Active && cp.mapErr[si][j] == nil {
			cands = append(cands, j)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	var dups map[int32]string
	flag := func(j int32, msg string) {
		if dups == nil {
			dups = map[int32]string{}
		}
		if _, seen := dups[j]; !seen {
			dups[j] = msg
		}
	}
	for _, k := range r.Match {
		groups := map[string][]int32{}
		for _, j := range cands {
			if v := cp.srcKey(si, j, k); v != "" {
				groups[v] = append(groups[v], j)
			}
		}
		// In any order: a record is in one group of k, so which message
		// it gets does not depend on it.
		for v, js := range groups {
			if len(js) > 1 {
				for _, j := range js {
					flag(j, fmt.Sprintf("%d source records share the match key %s %q; none is created", len(js), k.name(), v))
				}
			}
		}
		cp.dupPaired(si, k, groups, flag)
	}
	return dups
}

// dupPaired flags the candidates in groups whose key value k a paired,
// in-scope record of side si also maps to.
func (cp *collPlan) dupPaired(si int, k MatchKey, groups map[string][]int32, flag func(int32, string)) {
	for j, p := range cp.pairOf[si] {
		if p < 0 || !cp.scoped[si][j] {
			continue
		}
		v := cp.srcKey(si, int32(j), k)
		js, ok := groups[v]
		if !ok || v == "" {
			continue
		}
		msg := fmt.Sprintf("the match key %s %q is also the value of %s, which is already linked; it is not created",
			k.name(), v, cp.snap[si].recs[j].ID)
		for _, c := range js {
			flag(c, msg)
		}
	}
}

// createable reports whether the unpaired record j of side si will be created.
func (cp *collPlan) createable(si int, j int32, dups map[int32]string) bool {
	r := cp.e.rules(cp.cr, sideOf(1-si))
	_, dup := dups[j]
	return cp.scoped[si][j] && cp.snap[si].recs[j].Active && cp.mapErr[si][j] == nil &&
		!dup && r.Create && cp.can(1-si, CanCreate) && cp.hold[si][j].IsZero() && cp.snap[si].part[j] == nil
}

// planCreates appends to out the plan of the unpaired source records of
// every direction.
func (cp *collPlan) planCreates(st *planState, out []Change) []Change {
	for si := range cp.snap {
		if cp.e.rules(cp.cr, sideOf(1-si)) == nil {
			continue
		}
		dups := cp.dups[si]
		for _, j := range cp.unpaired(si) {
			if cp.named != nil && !cp.named[si][cp.snap[si].recs[j].ID] {
				continue // a match candidate, not a record the event names
			}
			out = append(out, cp.planCreate(st, si, j, dups))
		}
	}
	return out
}

func (cp *collPlan) planCreate(st *planState, si int, j int32, dups map[int32]string) Change {
	ti := 1 - si
	r := cp.e.rules(cp.cr, sideOf(ti))
	s := &cp.snap[si].recs[j]
	ch := Change{Collection: cp.cr.Collection, Source: sideOf(si), Key: cp.shownKey(si, j, cp.keys[si][j]), Action: ActionSkip,
		Name: cp.label(si, s)}
	cp.setID(&ch, si, s.ID)
	cp.unlink(&ch, si, j) // apply translates nothing through it
	switch {
	case cp.snap[si].part[j] != nil:
		rec := [2]int32{-1, -1}
		rec[si] = j
		return cp.partChange(rec, cp.snap[si].part[j])
	case !cp.scoped[si][j]:
		ch.Reason = ReasonOutOfScope
		return ch
	case !s.Active:
		ch.Reason = ReasonInactive
		return ch
	case cp.mapErr[si][j] != nil:
		ch.Reason = ReasonMissingField
		ch.Error, ch.Failures = cp.e.mapErrText(cp.cr.Collection, sideOf(1-si), cp.mapErr[si][j]), fieldFailures(cp.mapErr[si][j])
		return ch
	case dups[j] != "":
		ch.Action, ch.Error = ActionConflict, dups[j]
		return ch
	case !cp.hold[si][j].IsZero():
		ch.Reason, ch.Due = ReasonNotStarted, cp.due[si][j]
		return ch
	}
	m := cp.mapped[si][j]
	fields := cp.createDiffs(ti, m)
	if !r.Create || !cp.can(ti, CanCreate) {
		ch.Reason, ch.Blocked = ReasonBlocked, fields
		return ch
	}
	ch.Action, ch.Fields = ActionCreate, fields
	st.reads.creates[baseKey{cp.cr.Collection, ch.Source, s.ID}] = m // the record to send, less its nil values
	ch.Due = cp.due[si][j]
	if cp.e.cfg.Direction == TwoWay {
		virtual := Record{Fields: m, Active: true}
		var w pairWork
		w.rec[si], w.rec[ti] = s, &virtual
		w.idx[si], w.idx[ti] = j, -1
		w.m[si] = m
		ch.Synced = cp.newSynced(&w)
	}
	cp.planRefs(st, &ch, si, s, cp.mrefs[si][j], nil)
	return ch
}

// createDiffs are a create's fields on side ti: m's non-nil values in
// sortDiffs's order (one side, each field once: by name). The records of a
// collection mostly map to the same names, so the last mapping's names,
// sorted, serve every next one that has exactly those names.
func (cp *collPlan) createDiffs(ti int, m map[string]any) []FieldDiff {
	n, same := cp.sameNames(m)
	if !same {
		cp.names, n = cp.names[:0], 0
		for f, v := range m {
			cp.names = append(cp.names, f)
			if v != nil {
				n++
			}
		}
		slices.Sort(cp.names)
	}
	fields := make([]FieldDiff, 0, n)
	for _, f := range cp.names {
		if v := m[f]; v != nil {
			fields = append(fields, FieldDiff{Side: sideOf(ti), Field: f, New: v})
		}
	}
	return fields
}

// sameNames reports whether m's keys are cp.names (which hold no name
// twice), and if so how many of m's values are not nil.
func (cp *collPlan) sameNames(m map[string]any) (int, bool) {
	if len(m) != len(cp.names) {
		return 0, false
	}
	n := 0
	for _, f := range cp.names {
		v, ok := m[f]
		if !ok {
			return 0, false
		}
		if v != nil {
			n++
		}
	}
	return n, true
}
