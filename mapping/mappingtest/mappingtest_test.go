package mappingtest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/mapping/mappingtest"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Error(args ...any) {
	r.failures = append(r.failures, fmt.Sprint(args...))
}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func sampleMap(t *testing.T) *mapping.Map {
	t.Helper()
	m, err := mapping.Compile(mapping.Spec{Name: "people", Rules: []mapping.Rule{
		{Target: "UserName", Source: "workEmail", Transforms: []mapping.Step{mapping.T("trim"), mapping.T("lower"), mapping.T("email")}, Required: true},
		{Target: "Phone", Source: "phone", Transforms: []mapping.Step{mapping.T("ignore-if-empty")}},
		{Target: "City", Source: "city", Default: "Unknown"},
		{Target: "Password", Source: "password"},
		{Target: "Manager", Source: "supervisorEId", Transforms: []mapping.Step{mapping.T("reference", "collection", "users")}},
		{Target: "AccessLevel", Constant: "Learner", When: mapping.WhenCreate},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var record = map[string]any{"workEmail": " Ana@X.com ", "password": "hunter2", "supervisorEId": "9"}

func TestAssertMapPasses(t *testing.T) {
	m := sampleMap(t)
	rec := &recorder{TB: t}
	ok := mappingtest.AssertMap(rec, m, record, map[string]any{
		"UserName": "ana@x.com", "City": "Unknown", "Password": "hunter2",
		"Manager": mapping.Reference{Collection: "users", Key: "9"}, "AccessLevel": "Learner",
	})
	if !ok || len(rec.failures) != 0 {
		t.Fatalf("AssertMap failed: %v", rec.failures)
	}
	ok = mappingtest.AssertMapMode(rec, m, mapping.Update, record, map[string]any{
		"UserName": "ana@x.com", "City": "Unknown", "Password": "hunter2",
		"Manager": mapping.Reference{Collection: "users", Key: "9"},
	})
	if !ok || len(rec.failures) != 0 {
		t.Fatalf("AssertMapMode failed: %v", rec.failures)
	}
}

func TestAssertMapReportsDiffAndExplanation(t *testing.T) {
	m := sampleMap(t)
	rec := &recorder{TB: t}
	ok := mappingtest.AssertMap(rec, m, record, map[string]any{"UserName": "Ana@X.com"})
	if ok || len(rec.failures) != 1 {
		t.Fatalf("want one failure, got ok=%v %v", ok, rec.failures)
	}
	msg := rec.failures[0]
	for _, want := range []string{`mapping "people":`, "fields (-want +got):", `string("Ana@X.com")`, `string("ana@x.com")`, `explain "people" (create):`} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
	// The diff shows the test's own values; the explanation redacts.
	if _, explanation, _ := strings.Cut(msg, "explain "); strings.Contains(explanation, "hunter2") {
		t.Errorf("the explanation leaked a secret:\n%s", msg)
	}

	rec = &recorder{TB: t}
	mappingtest.AssertMap(rec, m, map[string]any{"workEmail": "nope"}, nil, cmp.AllowUnexported())
	if len(rec.failures) != 1 || !strings.Contains(rec.failures[0], "field errors:") ||
		!strings.Contains(rec.failures[0], "email: invalid email address: no @") {
		t.Errorf("field errors not reported: %v", rec.failures)
	}
}

func TestAssertErrors(t *testing.T) {
	m := sampleMap(t)
	rec := &recorder{TB: t}
	if !mappingtest.AssertErrors(rec, m, map[string]any{"workEmail": "", "supervisorEId": map[string]any{"id": "9"}}, "UserName", "Manager") {
		t.Fatalf("AssertErrors: %v", rec.failures)
	}
	if !mappingtest.AssertErrors(rec, m, record) {
		t.Fatalf("AssertErrors with none: %v", rec.failures)
	}
	if mappingtest.AssertErrors(rec, m, record, "City") || len(rec.failures) != 1 {
		t.Fatalf("want a failure, got %v", rec.failures)
	}
}

func TestExplain(t *testing.T) {
	m := sampleMap(t)
	got := mappingtest.Explain(m, map[string]any{"workEmail": " Ana@X.com ", "password": "hunter2", "supervisorEId": "9"}).String()
	want := `explain "people" (create):
  UserName    ← rule 0  workEmail " Ana@X.com " | trim | lower | email → "ana@x.com"
  Phone       ← rule 1  phone (empty) | ignore-if-empty  omitted
  City        ← rule 2  city (empty) → "Unknown" (default)
  Password    ← rule 3  password REDACTED → REDACTED
  Manager     ← rule 4  supervisorEId "9" | reference → ref users/9
  AccessLevel ← rule 5  constant → "Learner"
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	upd := mappingtest.ExplainMode(m, map[string]any{"workEmail": "x"}, mapping.Update)
	wantLines := []mappingtest.Line{
		{Target: "UserName", Rule: 0, Source: "workEmail", In: "x", Steps: []string{"trim", "lower", "email"}, Result: "error: email: invalid email address: no @"},
		{Target: "Phone", Rule: 1, Source: "phone", Steps: []string{"ignore-if-empty"}, Result: "omitted"},
		{Target: "City", Rule: 2, Source: "city", Out: "Unknown", Result: "default"},
		{Target: "Password", Rule: 3, Source: "password", In: mapping.Redacted, Out: mapping.Redacted, Result: "written"},
		{Target: "Manager", Rule: 4, Source: "supervisorEId", Steps: []string{"reference"}, Result: "written"},
		{Target: "AccessLevel", Rule: 5, Source: "constant", Result: "skipped (create only)"},
	}
	if diff := cmp.Diff(wantLines, upd.Lines); diff != "" {
		t.Errorf("update lines (-want +got):\n%s", diff)
	}
	if !strings.Contains(upd.String(), "✗ error: email: invalid email address: no @") || !strings.Contains(upd.String(), "skipped (create only)") {
		t.Errorf("update explanation:\n%s", upd)
	}
}

// A composed map explains the original source, the person field it went
// through and every step on the way.
func TestExplainComposed(t *testing.T) {
	hr, _ := mapping.Preset(mapping.PresetBambooHRPerson)
	lms, _ := mapping.Preset(mapping.PresetPersonLitmos)
	m, err := mapping.Compose(hr, lms)
	if err != nil {
		t.Fatal(err)
	}
	e := mappingtest.Explain(m, map[string]any{"id": "4", "workEmail": " Ana@X.com ", "firstName": "Ana"})
	lines := strings.Split(e.String(), "\n")
	want := []string{
		`explain "bamboohr-person+person-litmos" (create):`,
		`  UserName           ← rule 0  workEmail " Ana@X.com " via email.work | trim | lower | email | trim | lower | email → "ana@x.com"`,
		`  Email              ← rule 1  workEmail " Ana@X.com " via email.work | trim | lower | email | trim | lower | email → "ana@x.com"`,
		`  FirstName          ← rule 2  firstName "Ana" via first_name | trim | trim → "Ana"`,
		`  LastName           ← rule 3  lastName (empty) via last_name | trim | trim  ✗ error: required value is empty`,
	}
	if diff := cmp.Diff(want, lines[:len(want)]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !mappingtest.AssertErrors(t, m, map[string]any{"id": "4", "workEmail": "a@b.co", "firstName": "Ana"}, "LastName") {
		t.Error("AssertErrors on a composed map")
	}
}
