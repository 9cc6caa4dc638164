package jobs_test

import (
	"context"
	"github.com/rostersync/rostersync/syncengine"
	"slices"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/mapping"
)

// presetWith is the preset map plus rules.
func presetWith(t *testing.T, rules ...mapping.Rule) *mapping.Map {
	t.Helper()
	m, err := mapping.Preset(mapping.PresetBambooHRLitmos)
	if err != nil {
		t.Fatal(err)
	}
	spec := m.Spec()
	spec.Rules = append(spec.Rules, rules...)
	m, err = mapping.Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Create-only rules ("when": "create") are written when the learner is
// created and never again: an admin's later change in Litmos stays.
func TestCreateOnlyFieldsAreNotReverted(t *testing.T) {
	m := presetWith(t, mapping.Rule{Target: "CustomField1", Constant: "from-bamboohr", When: mapping.WhenCreate})
	e := newEnv(t, func(cfg *setup) { cfg.Map = m })
	seedCompany(e)
	rep := e.sync(t)
	u := e.learner(t, "bo.chen@acme.example")
	if u.AccessLevel != "Learner" || u.CustomField1 != "from-bamboohr" {
		t.Errorf("created learner: AccessLevel %q CustomField1 %q", u.AccessLevel, u.CustomField1)
	}
	for _, r := range rep.Outcomes {
		if r.Result == syncengine.ResultCreated && !strings.Contains(strings.Join(r.Fields, " "), "AccessLevel") {
			t.Errorf("created row %s does not list AccessLevel: %v", r.AID, r.Fields)
		}
	}

	c := e.lms.NewClient(t)
	if _, err := c.UpdateUser(context.Background(), u.ID, func(u *litmos.User) error {
		u.AccessLevel, u.CustomField1 = "Team_Leader", "changed by an admin"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	p, err := e.job.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("plan reverts an admin's change to a create-only field:\n%s", p)
	}
}

// A create-only rule may read an employee field: the learner starts with
// the employee's value, and neither a later change in BambooHR nor an
// admin's edit in Litmos is written over it, while the other fields flow.
func TestCreateOnlyRuleFromEmployeeField(t *testing.T) {
	m := presetWith(t, mapping.Rule{Target: "CustomField2", Source: "jobTitle", When: mapping.WhenCreate})
	e := newEnv(t, func(cfg *setup) { cfg.Map = m })
	c := seedCompany(e)
	rep := e.sync(t)
	if rep.Counts[syncengine.ResultFailed] != 1 { // the employee without a work email
		t.Fatalf("first sync: %+v", rep.Outcomes)
	}
	u := e.learner(t, "bo.chen@acme.example")
	if u.CustomField2 != "Engineer" {
		t.Fatalf("created learner CustomField2 = %q, want the job title %q", u.CustomField2, "Engineer")
	}
	if r := rowOf(t, rep, c.report); !slices.Contains(r.Fields, "CustomField2") {
		t.Errorf("created row does not list CustomField2: %v", r.Fields)
	}

	e.hr.SetField(atoi(c.report), "jobTitle", "Senior Engineer")
	p, err := e.job.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for _, ch := range p.Changes {
		for _, d := range ch.Fields {
			updates = append(updates, ch.AID+" "+d.Field)
		}
	}
	if want := []string{c.report + " JobTitle"}; !slices.Equal(updates, want) {
		t.Errorf("plan writes %v, want %v:\n%s", updates, want, p)
	}
	e.sync(t)
	if u := e.learner(t, "bo.chen@acme.example"); u.JobTitle != "Senior Engineer" || u.CustomField2 != "Engineer" {
		t.Errorf("after the job title changed: JobTitle %q CustomField2 %q, want %q %q",
			u.JobTitle, u.CustomField2, "Senior Engineer", "Engineer")
	}
}
