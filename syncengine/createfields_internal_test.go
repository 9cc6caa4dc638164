package syncengine

import (
	"reflect"
	"testing"
)

// TestCreateFieldsReusesPlanMap: a create sends the map the plan's mapping
// made, with the nil values the plan left out of the change deleted from
// it, and no copy; a plan whose Fields no longer match (edited, or a
// value the map does not hold) sends a map built from its Fields.
func TestCreateFieldsReusesPlanMap(t *testing.T) {
	key := baseKey{Users, SideA, "s1"}
	fields := []FieldDiff{{Field: "email", New: "ana@example.com"}, {Field: "name", New: "Ana"}}
	for _, tt := range []struct {
		name   string
		mapped map[string]any
		fields []FieldDiff
		reused bool
		want   map[string]any
	}{
		{"nil values left out", map[string]any{"email": "ana@example.com", "phone": nil, "name": "Ana", "city": nil}, fields, true,
			map[string]any{"email": "ana@example.com", "name": "Ana"}},
		{"exact", map[string]any{"email": "ana@example.com", "name": "Ana"}, fields, true,
			map[string]any{"email": "ana@example.com", "name": "Ana"}},
		{"edited value", map[string]any{"email": "ana@example.com", "phone": nil, "name": "Ana"},
			[]FieldDiff{{Field: "email", New: "ana@example.com"}, {Field: "name", New: "Ana Lima"}}, false,
			map[string]any{"email": "ana@example.com", "name": "Ana Lima"}},
		{"a nil the plan now sets", map[string]any{"email": "ana@example.com", "phone": nil, "name": "Ana"},
			append(fields[:2:2], FieldDiff{Field: "phone", New: "555"}), false,
			map[string]any{"email": "ana@example.com", "name": "Ana", "phone": "555"}},
		{"a field dropped", map[string]any{"email": "ana@example.com", "phone": nil, "name": "Ana"}, fields[:1], false,
			map[string]any{"email": "ana@example.com"}},
		{"a field named twice", map[string]any{"email": "ana@example.com", "name": "Ana"}, []FieldDiff{fields[0], fields[0]}, false,
			map[string]any{"email": "ana@example.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &applier{reads: planReads{creates: map[baseKey]map[string]any{key: tt.mapped}}}
			ch := &Change{Collection: Users, Source: SideA, Fields: tt.fields}
			got := a.createFields(ch, "s1")
			if same := reflect.ValueOf(got).UnsafePointer() == reflect.ValueOf(tt.mapped).UnsafePointer(); same != tt.reused {
				t.Errorf("plan's map reused = %v, want %v", same, tt.reused)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("create sends %v, want %v", got, tt.want)
			}
		})
	}
}
