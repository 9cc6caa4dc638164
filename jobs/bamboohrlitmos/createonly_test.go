package bamboohrlitmos_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
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
	e := newEnv(t, func(cfg *bamboohrlitmos.Config) { cfg.Map = m })
	seedCompany(e)
	rep := e.sync(t)
	u := e.learner(t, "bo.chen@acme.example")
	if u.AccessLevel != "Learner" || u.CustomField1 != "from-bamboohr" {
		t.Errorf("created learner: AccessLevel %q CustomField1 %q", u.AccessLevel, u.CustomField1)
	}
	for _, r := range rep.Rows {
		if r.Action == bamboohrlitmos.Created && !strings.Contains(strings.Join(r.Fields, " "), "AccessLevel") {
			t.Errorf("created row %s does not list AccessLevel: %v", r.EmployeeID, r.Fields)
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

func TestCreateOnlyRuleFromSourceIsRefused(t *testing.T) {
	m := presetWith(t, mapping.Rule{Target: "CustomField2", Source: "jobTitle", When: mapping.WhenCreate})
	e := newEnv(t)
	_, err := bamboohrlitmos.New(bamboohrlitmos.Config{BambooHR: e.hr.NewClient(t), Litmos: e.lms.NewClient(t), Map: m,
		StateDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "CustomField2") {
		t.Errorf("New with a create-only rule reading a source field: err = %v, want one naming CustomField2", err)
	}
}
