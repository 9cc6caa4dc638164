package mapping

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPathGet(t *testing.T) {
	rec := map[string]any{
		"id":    "3332883884017713238",
		"email": "ada@example.com",
		"work": map[string]any{
			"department": "216874211",
			"reportsTo":  map[string]any{"id": "42", "email": "grace@example.com"},
			"custom":     map[string]any{"field_1698036945383": "Platform"},
			"title":      nil,
		},
		"/work/title":  map[string]any{"value": "Engineer"},
		"4340.4":       "sub-field",
		"fields":       map[string]any{"customLitmosAccess": "1"},
		"branches":     []any{map[string]any{"id": "76", "name": "sample"}},
		"wrapped":      map[string]any{"value": map[string]any{"inner": "x"}},
		"notwrapped":   map[string]any{"value": "a", "other": "b"},
		"root.literal": "dotted key",
	}
	cases := []struct {
		path string
		want any
	}{
		{"id", "3332883884017713238"},
		{"work.department", "216874211"},
		{"work.reportsTo.id", "42"},
		{"work.custom.field_1698036945383", "Platform"},
		{"/work/title", "Engineer"},       // HiBob slash key, {"value":...} unwrapped
		{"/work/department", "216874211"}, // no slash key: walk the nested path
		{"work.title", nil},
		{"4340.4", "sub-field"}, // BambooHR numeric sub-field id
		{"fields.customLitmosAccess", "1"},
		{"branches.0.name", "sample"},
		{"branches.1.name", nil},
		{"branches.x", nil},
		{"root.email", "ada@example.com"}, // HiBob field id form
		{"/root/id", "3332883884017713238"},
		{"root.literal", "dotted key"},
		{"wrapped.inner", "x"},
		{"notwrapped.value", "a"},
		{"missing", nil},
		{"missing.deeper", nil},
		{"email.deeper", nil},
		{"work.reportsTo.id.deeper", nil},
	}
	for _, tc := range cases {
		p, err := parsePath(tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if diff := cmp.Diff(tc.want, p.get(rec)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.path, diff)
		}
	}
}

func TestPathErrors(t *testing.T) {
	for _, raw := range []string{"", "  ", "a..b", ".a", "a.", "/", "/a//b"} {
		if _, err := parsePath(raw); err == nil {
			t.Errorf("parsePath(%q): want an error", raw)
		}
	}
}

func TestPathSet(t *testing.T) {
	out := map[string]any{}
	for _, raw := range []string{"custom_fields.hireDate", "custom_fields.city", "/work/site", "email"} {
		p, err := parsePath(raw)
		if err != nil {
			t.Fatal(err)
		}
		p.set(out, raw)
	}
	want := map[string]any{
		"custom_fields": map[string]any{"hireDate": "custom_fields.hireDate", "city": "custom_fields.city"},
		"work":          map[string]any{"site": "/work/site"},
		"email":         "email",
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// lookup tells a path absent from the record from one present and empty,
// through nested maps, lists and {"value": v} wrappers.
func TestPathLookup(t *testing.T) {
	rec := map[string]any{
		"phone":      nil,
		"blank":      "",
		"work":       map[string]any{"title": nil, "site": "HQ", "reportsTo": nil, "code": "X1"},
		"branches":   []any{map[string]any{"name": "sample"}, nil},
		"wrapped":    map[string]any{"value": nil},
		"/home/city": map[string]any{"value": "Lindon"},
		"email":      "ada@example.com",
	}
	cases := []struct {
		path    string
		want    any
		present bool
	}{
		{"phone", nil, true},
		{"blank", "", true},
		{"mobilePhone", nil, false},
		{"work.site", "HQ", true},
		{"work.title", nil, true},
		{"work.department", nil, false},
		{"/work/title", nil, true},
		{"/work/department", nil, false},
		{"work.reportsTo.id", nil, true}, // a null on the way says "empty"
		{"work.code.deeper", nil, false}, // text has no fields
		{"nowork.title", nil, false},
		{"branches.0.name", "sample", true},
		{"branches.0.id", nil, false},
		{"branches.1.name", nil, true},
		{"branches.2.name", nil, false},
		{"branches.x", nil, false},
		{"wrapped", nil, true},
		{"/home/city", "Lindon", true},
		{"root.email", "ada@example.com", true},
		{"root.mobilePhone", nil, false},
	}
	for _, tc := range cases {
		p, err := parsePath(tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		v, ok := p.lookup(rec)
		if diff := cmp.Diff(tc.want, v); diff != "" || ok != tc.present {
			t.Errorf("%s: present = %v, want %v; value (-want +got):\n%s", tc.path, ok, tc.present, diff)
		}
		if diff := cmp.Diff(v, p.get(rec)); diff != "" {
			t.Errorf("%s: get disagrees with lookup:\n%s", tc.path, diff)
		}
	}
}
