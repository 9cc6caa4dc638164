package syncengine_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

const (
	ssn1 = "123-45-6789"
	ssn2 = "987-65-4321"
	ssn3 = "555-12-3456"
)

func mustMap(t *testing.T, js string) *mapping.Map {
	t.Helper()
	m, err := mapping.Load([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sensitiveEnv is a two-way pair carrying an SSN, marked sensitive both ways.
func sensitiveEnv(t *testing.T, show bool) *env {
	v := newEnv(nil, nil)
	v.cfg.Direction, v.cfg.ShowSensitive = syncengine.TwoWay, show
	m := mustMap(t, `{"name": "p", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "ssn", "source": "ssn"}]}`)
	v.cfg.Collections[0].AToB = rules(m, allowAll, byEmail...)
	v.cfg.Collections[0].BToA = rules(m, allowAll, byEmail...)
	v.cfg.Collections[0].AToB.Sensitive = []string{"ssn"}
	v.cfg.Collections[0].BToA.Sensitive = []string{"ssn"}
	p := person("e1", "a@example.com", "Ann", "One", true)
	p.Fields["ssn"] = ssn1
	v.hr.Put(syncengine.Users, p)
	return v
}

// everything renders a plan and a report the ways people and scripts see them.
func everything(t *testing.T, p *syncengine.Plan, rep *syncengine.Report) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(p.String())
	for _, o := range rep.Outcomes {
		fmt.Fprintf(&b, "%+v\n", o)
	}
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
		func(b *bytes.Buffer) error { return rep.WriteCSV(b) },
		func(b *bytes.Buffer) error { return rep.WriteText(b) },
	} {
		if err := w(&b); err != nil {
			t.Fatal(err)
		}
	}
	b.WriteString(rep.Summary())
	return b.String()
}

// A sensitive field is written, but its value appears in no plan text,
// outcome or report, and the link keeps a hash of it, not the value;
// a conflict on it is reported without either value.
func TestSensitiveFieldsAreHidden(t *testing.T) {
	v := sensitiveEnv(t, false)
	eng := v.engine(t)
	p, err := eng.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eng.Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := emails(t, v.lms)["a@example.com"].Fields["ssn"]; got != ssn1 {
		t.Fatalf("ssn written = %v, want %s", got, ssn1)
	}
	out := everything(t, p, rep)
	if strings.Contains(out, ssn1) || !strings.Contains(p.String(), "lms.ssn = (hidden: sensitive)") {
		t.Errorf("the SSN shows, or the plan does not say it is hidden:\n%s", out)
	}
	for _, l := range v.storedLinks(t) {
		for k, val := range l.Synced {
			if strings.Contains(val, ssn1) || (strings.HasSuffix(k, ".ssn") && !strings.HasPrefix(val, "sha256:")) {
				t.Errorf("link keeps %s = %q", k, val)
			}
		}
	}
	// Changed in HR only: one write into the LMS, decided from the hash.
	hr := emails(t, v.hr)["a@example.com"]
	hr.Fields["ssn"] = ssn2
	v.hr.Put(syncengine.Users, hr)
	p = v.plan(t)
	if s := p.String(); strings.Contains(s, ssn2) || strings.Contains(s, ssn1) || len(p.Changes) != 1 ||
		len(p.Changes[0].Conflicts) != 0 || !strings.Contains(s, "~ lms.ssn: (hidden: sensitive) -> (hidden: sensitive)") {
		t.Errorf("plan after an HR change:\n%s", s)
	}
	if rep := v.sync(t); strings.Contains(everything(t, p, rep), ssn2) {
		t.Errorf("the new SSN shows in the report")
	}
	if got := emails(t, v.lms)["a@example.com"].Fields["ssn"]; got != ssn2 {
		t.Errorf("ssn = %v, want %s", got, ssn2)
	}
	// Changed on both sides: a conflict, worded without the values.
	hr.Fields["ssn"] = ssn3
	v.hr.Put(syncengine.Users, hr)
	lms := emails(t, v.lms)["a@example.com"]
	lms.Fields["ssn"] = ssn1
	v.lms.Put(syncengine.Users, lms)
	eng = v.engine(t)
	p, _ = eng.Plan(context.Background())
	rep, _ = eng.Apply(context.Background(), p)
	out = everything(t, p, rep)
	if len(p.Changes) != 1 || len(p.Changes[0].Conflicts) != 2 {
		t.Fatalf("want conflicts on both sides:\n%s", p)
	}
	for _, s := range []string{ssn1, ssn2, ssn3} {
		if strings.Contains(out, s) {
			t.Errorf("%s shows in a conflict:\n%s", s, out)
		}
	}
	if !strings.Contains(p.String(), "changed on both sides (hidden: sensitive)") {
		t.Errorf("conflict not worded:\n%s", p)
	}
}

// ShowSensitive shows the values, for a person allowed to see them.
func TestShowSensitive(t *testing.T) {
	v := sensitiveEnv(t, true)
	if s := v.plan(t).String(); !strings.Contains(s, `lms.ssn = "`+ssn1+`"`) {
		t.Errorf("ShowSensitive plan hides the value:\n%s", s)
	}
}

// A mapping error about a sensitive field does not quote the value, and
// a vendor error that echoes what it was sent has the value blanked.
func TestSensitiveValuesLeaveErrors(t *testing.T) {
	v := sensitiveEnv(t, false)
	v.cfg.Direction = syncengine.AToB
	v.cfg.Collections[0].BToA = syncengine.Rules{}
	v.cfg.Collections[0].AToB.Map = mustMap(t, `{"name": "p", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "ssn", "source": "ssn", "transforms": ["email"]}]}`)
	p := v.plan(t)
	if len(p.Changes) != 1 || p.Changes[0].Error == "" || strings.Contains(p.Changes[0].Error, ssn1) ||
		!strings.Contains(p.Changes[0].Error, "mapping ssn: the value is not valid (hidden: sensitive)") {
		t.Errorf("mapping error = %q", p.Changes[0].Error)
	}

	v = sensitiveEnv(t, false)
	v.cfg.Direction = syncengine.AToB
	v.cfg.Collections[0].BToA = syncengine.Rules{}
	v.cfg.B = echoingConnector{v.lms}
	rep := v.sync(t)
	if len(rep.Outcomes) != 1 || rep.Outcomes[0].Error == "" || strings.Contains(everything(t, v.plan(t), rep), ssn1) {
		t.Errorf("vendor error echo: %+v", rep.Outcomes)
	}
}

// echoingConnector refuses creates with an error quoting every field, as
// some vendors' validation messages do.
type echoingConnector struct{ *syncenginetest.Connector }

func (c echoingConnector) Create(_ context.Context, _ syncengine.Collection, r syncengine.Record) (string, error) {
	return "", fmt.Errorf("%w: invalid record %v", syncengine.ErrInvalid, r.Fields)
}

// A create writes a nested map whole: a sensitive leaf in it is hidden
// in the plan and in errors, and the other leaves show.
func TestSensitiveLeafOfANestedCreate(t *testing.T) {
	v := newEnv(nil, nil)
	r := &v.cfg.Collections[0].AToB
	r.Map = mustMap(t, `{"name": "p", "rules": [
		{"target": "email", "source": "email", "required": true},
		{"target": "custom_fields.ssn", "source": "ssn"},
		{"target": "custom_fields.city", "source": "city"}]}`)
	r.Sensitive = []string{"custom_fields.ssn"}
	p := person("e1", "a@example.com", "Ann", "One", true)
	p.Fields["ssn"], p.Fields["city"] = ssn1, "Porto"
	v.hr.Put(syncengine.Users, p)
	plan := v.plan(t)
	if s := plan.String(); strings.Contains(s, ssn1) || !strings.Contains(s, "Porto") || !strings.Contains(s, "(hidden: sensitive)") {
		t.Errorf("plan:\n%s", s)
	}
	v.cfg.B = echoingConnector{v.lms}
	rep := v.sync(t)
	if len(rep.Outcomes) != 1 || !strings.Contains(rep.Outcomes[0].Error, "Porto") || strings.Contains(everything(t, plan, rep), ssn1) {
		t.Errorf("outcome: %+v", rep.Outcomes)
	}
}
