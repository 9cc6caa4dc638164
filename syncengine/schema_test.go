package syncengine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// schemaConn is an in-memory connector that tells its schema.
type schemaConn struct {
	*syncenginetest.Connector
	fields []syncengine.FieldInfo
}

func (s schemaConn) Schema(context.Context, syncengine.Collection) ([]syncengine.FieldInfo, error) {
	return s.fields, nil
}

// A field named in SameSchema flows only where both sides have it with
// the same type, and the plan says which flowed and why the others did not.
func TestSameSchemaFields(t *testing.T) {
	v := newEnv(nil, nil)
	hr := schemaConn{v.hr, []syncengine.FieldInfo{{Name: "hireDate", Type: "date"}, {Name: "ssn", Type: "text"}, {Name: "city", Type: "text"}}}
	lms := schemaConn{v.lms, []syncengine.FieldInfo{{Name: "hireDate", Type: "date"}, {Name: "ssn", Type: "date"}, {Name: "Dept", Type: "text"}}}
	v.cfg.A, v.cfg.B = hr, lms
	r := &v.cfg.Collections[0].AToB
	r.Map = nil // fields flow by name
	r.SameSchema = []string{"hireDate", "ssn", "city", "dept"}
	p := person("e1", "a@example.com", "A", "One", true)
	p.Fields["hireDate"], p.Fields["ssn"], p.Fields["city"] = "2020-01-02", "123-45-6789", "Oslo"
	v.hr.Put(syncengine.Users, p)
	plan := v.plan(t)
	want := []syncengine.FieldNote{
		{Collection: "users", Target: "b", Field: "hireDate", Carried: true, Why: "date on both sides"},
		{Collection: "users", Target: "b", Field: "ssn", Why: "text in hr, date in lms"},
		{Collection: "users", Target: "b", Field: "city", Why: `lms has no field named "city"`},
		{Collection: "users", Target: "b", Field: "dept", Why: `neither hr nor lms has a field named "dept"`},
	}
	if diff := cmp.Diff(want, plan.Fields); diff != "" {
		t.Errorf("field notes (-want +got):\n%s", diff)
	}
	if !strings.Contains(plan.String(), "users lms.ssn: not carried (text in hr, date in lms)") {
		t.Errorf("plan text lacks the field notes:\n%s", plan)
	}
	v.sync(t)
	got := emails(t, v.lms)["a@example.com"].Fields
	if got["hireDate"] != "2020-01-02" || got["ssn"] != nil || got["city"] != nil {
		t.Errorf("created record = %v, want hireDate only of the schema fields", got)
	}
}

// With a map, a SameSchema target is compared with the source field the
// map reads for it (TalentHR's standard hire_date for TalentLMS's custom
// hireDate), and a dotted target drops only that leaf of the nested map:
// no phantom "custom_fields.ssn" update on a portal without the field.
func TestSameSchemaThroughMapAndNestedFields(t *testing.T) {
	v := newEnv(nil, nil)
	hr := schemaConn{v.hr, []syncengine.FieldInfo{{Name: "hire_date", Type: "date"}, {Name: "ssn", Type: "text"}, {Name: "city", Type: "text"}}}
	lms := schemaConn{v.lms, []syncengine.FieldInfo{{Name: "custom_fields.hireDate", Type: "date"}, {Name: "custom_fields.ssn", Type: "list"}}}
	v.cfg.A, v.cfg.B = hr, lms
	m, err := mapping.Load([]byte(`{"name": "t", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "custom_fields.hireDate", "source": "hire_date"},
		{"target": "custom_fields.ssn", "source": "ssn"},
		{"target": "custom_fields.city", "source": "city"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := &v.cfg.Collections[0].AToB
	r.Map = m
	r.SameSchema = []string{"custom_fields.hireDate", "custom_fields.ssn", "custom_fields.city"}
	p := person("e1", "a@example.com", "A", "One", true)
	p.Fields["hire_date"], p.Fields["ssn"], p.Fields["city"] = "2020-01-02", "123-45-6789", "Oslo"
	v.hr.Put(syncengine.Users, p)
	plan := v.plan(t)
	want := []syncengine.FieldNote{
		{Collection: "users", Target: "b", Field: "custom_fields.hireDate", Carried: true, Why: "date on both sides"},
		{Collection: "users", Target: "b", Field: "custom_fields.ssn", Why: "text in hr (ssn), list in lms"},
		{Collection: "users", Target: "b", Field: "custom_fields.city", Why: `lms has no field named "custom_fields.city"`},
	}
	if diff := cmp.Diff(want, plan.Fields); diff != "" {
		t.Errorf("field notes (-want +got):\n%s", diff)
	}
	v.sync(t)
	got := emails(t, v.lms)["a@example.com"].Fields
	if diff := cmp.Diff(map[string]any{"hireDate": "2020-01-02"}, got["custom_fields"]); diff != "" {
		t.Errorf("custom fields created (-want +got):\n%s", diff)
	}
	if p := v.plan(t); p.Summary().String() != "Plan: 0 to create, 0 to update, 0 to deactivate, 0 to reactivate; 0 failing, 0 skipped, 1 unchanged." {
		t.Errorf("second plan: %s\n%s", p.Summary(), p)
	}
	if p.Fields["ssn"] != "123-45-6789" {
		t.Errorf("the source record was changed: %v", p.Fields)
	}
}
