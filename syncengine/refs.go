package syncengine

import (
	"cmp"
	"slices"
)

// referencer is what the mapping package's reference values implement: a
// pointer at another record by its id in the source system.
type referencer interface {
	Reference() (collection, id string)
}

// splitRefs moves reference values (single or in a []any) out of mapped
// fields into refs keyed by the field name as the role.
func splitRefs(fields map[string]any) map[string][]Ref {
	var refs map[string][]Ref
	for f, v := range fields {
		if _, plain := v.(string); plain || v == nil {
			continue // most values: no interface check needed
		}
		rs, ok := asRefs(v)
		if !ok {
			continue
		}
		if refs == nil {
			refs = map[string][]Ref{}
		}
		refs[f] = rs
		delete(fields, f)
	}
	return refs
}

func asRefs(v any) ([]Ref, bool) {
	switch v := v.(type) {
	case referencer:
		c, id := v.Reference()
		if id == "" {
			return []Ref{}, true
		}
		return []Ref{{Collection: Collection(c), ID: id}}, true
	case []any:
		if len(v) == 0 {
			return nil, false
		}
		out := make([]Ref, 0, len(v))
		for _, e := range v {
			r, ok := e.(referencer)
			if !ok {
				return nil, false
			}
			c, id := r.Reference()
			out = append(out, Ref{Collection: Collection(c), ID: id})
		}
		return out, true
	}
	return nil, false
}

// planRefs adds the reference changes from source record src (side si)
// to its target (nil when created in this run).
func (cp *collPlan) planRefs(st *planState, ch *Change, si int, src *Record, mapped map[string][]Ref, target *Record) {
	ti := 1 - si
	r := cp.e.rules(cp.cr, sideOf(ti))
	// A create carries its references where the target takes them there
	// (CanCreateRefs; an enrollment always: its user and course are what
	// it is); later changes need CanWriteRefs.
	writable := cp.can(ti, CanWriteRefs) ||
		target == nil && (cp.can(ti, CanCreateRefs) || cp.cr.Collection == Enrollments)
	if !r.Refs || !writable || (len(src.Refs) == 0 && len(mapped) == 0) {
		return
	}
	// The roles to want, sorted: the source's the target takes, and the
	// mapped ones, whose refs replace the source's. Collected in a small
	// array rather than a map: a record has a role or two.
	takes := cp.e.roles[ti][cp.cr.Collection]
	var buf [4]string
	roles := buf[:0]
	for role := range src.Refs {
		if _, ok := mapped[role]; !ok && (takes == nil || takes[role]) {
			roles = append(roles, role)
		}
	}
	for role := range mapped {
		roles = append(roles, role)
	}
	slices.Sort(roles)
	for _, role := range roles {
		want, ok := mapped[role]
		if !ok {
			want = src.Refs[role]
		}
		rd := RefDiff{Side: sideOf(ti), Role: role, Want: want, New: []Ref{}}
		if target != nil {
			rd.Old = target.Refs[role]
		}
		for _, ref := range rd.Want {
			m := st.idMap(ref.Collection)
			switch {
			case m == nil:
				rd.Unresolved = append(rd.Unresolved, ref)
			case m.to[si][ref.ID] != "":
				rd.New = append(rd.New, Ref{Collection: ref.Collection, ID: m.to[si][ref.ID]})
			case m.pending[si][ref.ID]:
				rd.New = append(rd.New, Ref{Collection: ref.Collection})
			default:
				rd.Unresolved = append(rd.Unresolved, ref)
			}
		}
		if r.KeepUnmanagedRefs {
			for _, ref := range rd.Old {
				if m := st.idMap(ref.Collection); m == nil || !m.managed(ti, ref.ID) {
					rd.New, rd.Kept = append(rd.New, ref), append(rd.Kept, ref)
				}
			}
		}
		if refsEqual(rd.New, rd.Old) && len(rd.Unresolved) == 0 {
			continue
		}
		ch.Refs = append(ch.Refs, rd)
	}
}

// refsEqual compares two ref lists as sets; a pending (empty) id never equals.
func refsEqual(a, b []Ref) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := sortRefs(a), sortRefs(b)
	for i := range x {
		if x[i] != y[i] || x[i].ID == "" {
			return false
		}
	}
	return true
}

// sortRefs is rs ordered by collection, then id: rs itself when it is in
// order already (a single manager always is), else a sorted copy. Callers
// only read the result.
func sortRefs(rs []Ref) []Ref {
	if slices.IsSortedFunc(rs, compareRefs) {
		return rs
	}
	out := slices.Clone(rs)
	slices.SortFunc(out, compareRefs)
	return out
}

func compareRefs(x, y Ref) int {
	return cmp.Or(cmp.Compare(x.Collection, y.Collection), cmp.Compare(x.ID, y.ID))
}

// refsChanged reports whether any ref diff would write. A role with an
// unresolved ref is reported but not written: writing the rest would drop
// a manager or membership the engine cannot translate.
func refsChanged(rds []RefDiff) bool {
	for _, rd := range rds {
		if len(rd.Unresolved) == 0 && !refsEqual(rd.New, rd.Old) {
			return true
		}
	}
	return false
}
