package syncengine

import (
	"slices"
	"strings"
)

// FieldMapValues is implemented by FieldMaps that can map a record into
// the caller's slices when every target is a top-level field (mapping.Map:
// FlatTargets and ApplyValues, whose semantics are those of Apply).
// FlatTargets names the targets, distinct top-level fields; ApplyValues
// sets vals[i] to the value of target i and set[i] to whether the map
// wrote it (the engine clears both before each call). The planner maps
// each linked record of a one-way pair that way and compares the values
// with the target's fields, building no map: a re-sync of 100k people
// saves a map insert, a map walk and a clear per field. It does so only
// for a FieldMap that owns its fast paths (see FastPathOwner).
type FieldMapValues interface {
	FlatTargets() ([]string, bool)
	ApplyValues(vals []any, set []bool, src map[string]any) error
}

// flatVals is a side's FieldMapValues with the slices it fills, reused
// from pair to pair, and, per target, whether Rules.Fields leaves it out
// (skip) or the schemas keep it from flowing (drop).
type flatVals struct {
	m          FieldMapValues
	names      []string
	vals       []any
	set        []bool
	skip, drop []bool
	buf        map[string]any // toMap's, reused too
}

// newFlatVals returns the flat form of the map from side i, or nil when
// the pair cannot use one: two-way pairs (their synced values walk the
// mapping), maps with nested targets, and schema drops of nested leaves.
func (cp *collPlan) newFlatVals(i int, r *Rules) *flatVals {
	fm, ok := r.Map.(FieldMapValues)
	if !ok || cp.e.cfg.Direction == TwoWay || !ownsFastPaths(r.Map) {
		return nil
	}
	names, ok := fm.FlatTargets()
	if !ok {
		return nil
	}
	for f := range cp.drop[i] {
		if strings.Contains(f, ".") {
			return nil
		}
	}
	n := len(names)
	fv := &flatVals{m: fm, names: names, vals: make([]any, n), set: make([]bool, n), skip: make([]bool, n), drop: make([]bool, n)}
	for k, f := range names {
		fv.skip[k] = len(r.Fields) > 0 && !slices.Contains(r.Fields, f)
		fv.drop[k] = cp.drop[i][f]
	}
	return fv
}

// apply maps src as mapRecordInto and mapInto do: the fields
// Rules.Fields keeps, reference values split out (before the schema's
// drops, as there), the dropped fields unset.
func (fv *flatVals) apply(src map[string]any) (map[string][]Ref, error) {
	clear(fv.vals) // the previous record's values must not carry over
	clear(fv.set)
	err := fv.m.ApplyValues(fv.vals, fv.set, src)
	var refs map[string][]Ref
	for k, ok := range fv.set {
		if !ok {
			continue
		}
		if fv.skip[k] {
			fv.set[k] = false
			continue
		}
		if v := fv.vals[k]; v != nil {
			if _, plain := v.(string); !plain {
				if rs, isRef := asRefs(v); isRef {
					if refs == nil {
						refs = map[string][]Ref{}
					}
					refs[fv.names[k]], fv.set[k] = rs, false
					continue
				}
			}
		}
		fv.set[k] = !fv.drop[k]
	}
	return refs, err
}

// toMap is the mapping apply filled, as a map that the next toMap
// reuses (as planPair reuses its buffer map).
func (fv *flatVals) toMap() map[string]any {
	if fv.buf == nil {
		fv.buf = make(map[string]any, len(fv.names))
	}
	clear(fv.buf)
	for k, ok := range fv.set {
		if ok {
			fv.buf[fv.names[k]] = fv.vals[k]
		}
	}
	return fv.buf
}
