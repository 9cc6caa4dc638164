package bamboohrlitmos

import (
	"fmt"
	"maps"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
)

// updateMap hands the engine the map without its create-only rules
// ("when": "create", such as AccessLevel Learner). The engine applies one
// field map to plan creates and updates alike, so a create-only field would
// otherwise be compared on every run and an admin's change in Litmos (a
// learner promoted to Team_Leader) reverted. The create-only values are
// added when the learner is created (see createOnlyValues).
type updateMap struct{ m *mapping.Map }

func (u updateMap) Apply(src map[string]any) (map[string]any, error) {
	return u.m.ApplyMode(src, mapping.Update)
}

// createOnlyValues returns the values the map's create-only rules write.
// Only rules that need no source field (constants, defaults) can be
// supported this way: the connector that creates the learner sees the
// mapped fields, not the employee.
func createOnlyValues(m *mapping.Map) (map[string]any, error) {
	out, _ := m.ApplyMode(map[string]any{}, mapping.Create) // source rules fail on an empty record; only constants matter
	vals := map[string]any{}
	for _, t := range m.Targets() {
		if !m.CreateOnly(t) {
			continue
		}
		v, ok := out[t]
		if !ok || mapping.IsEmpty(v) {
			return nil, fmt.Errorf("bamboohrlitmos: map %q: the create-only rule for %q reads employee fields; only constant create-only rules are supported", m.Name(), t)
		}
		vals[t] = v
	}
	return vals, nil
}

// withCreateOnly returns rec with the create-only values added to the
// fields it does not set.
func withCreateOnly(rec syncengine.Record, values map[string]any) syncengine.Record {
	if len(values) == 0 {
		return rec
	}
	fields := maps.Clone(rec.Fields)
	if fields == nil {
		fields = map[string]any{}
	}
	for k, v := range values {
		if _, set := fields[k]; !set {
			fields[k] = v
		}
	}
	rec.Fields = fields
	return rec
}
