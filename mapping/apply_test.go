package mapping

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestApplyEmptiness(t *testing.T) {
	m := mustCompile(t, Spec{Name: "empties", Rules: []Rule{
		{Target: "copied", Source: "blank"},
		{Target: "trimmed", Source: "blank", Transforms: []Step{T("trim")}},
		{Target: "ignored", Source: "blank", Transforms: []Step{T("ignore-if-empty")}},
		{Target: "ignoredMissing", Source: "missing", Transforms: []Step{T("ignore-if-empty"), T("upper")}},
		{Target: "kept", Source: "name", Transforms: []Step{T("ignore-if-empty"), T("upper")}},
		{Target: "defaulted", Source: "missing", Default: "n/a"},
		{Target: "ignoredDefault", Source: "missing", Transforms: []Step{T("ignore-if-empty")}, Default: "fallback"},
		{Target: "falseIsValue", Source: "flag", Default: true},
		{Target: "nullWritten", Source: "missing"},
	}})
	got, err := m.Apply(map[string]any{"blank": "  ", "name": "ada", "flag": false})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"copied":         "  ",
		"trimmed":        "",
		"kept":           "ADA",
		"defaulted":      "n/a",
		"ignoredDefault": "fallback",
		"falseIsValue":   false,
		"nullWritten":    nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestApplyOmitEmptyOption(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Options: Options{OmitEmpty: true}, Rules: []Rule{
		{Target: "a", Source: "a"},
		{Target: "b", Source: "b"},
		{Target: "c", Source: "c", Default: "d"},
	}})
	got, err := m.Apply(map[string]any{"a": "x", "b": ""})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"a": "x", "c": "d"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Every rule runs; each failure is one FieldError naming the target, the
// rule, the source value and the step.
func TestApplyFieldErrors(t *testing.T) {
	m := mustCompile(t, Spec{Name: "people", Rules: []Rule{
		{Target: "UserName", Source: "workEmail", Transforms: []Step{T("trim"), T("email")}, Required: true},
		{Target: "FirstName", Source: "firstName", Required: true},
		{Target: "HireDate", Source: "hireDate", Transforms: []Step{T("date", "from", "date", "to", "date")}},
		{Target: "Password", Source: "apiPassword", Transforms: []Step{T("email")}},
		{Target: "Pin", Source: "pin", Transforms: []Step{T("to-bool")}},
		{Target: "Active", Sources: []string{"status", "flag"}, Transforms: []Step{T("to-bool")}},
		{Target: "City", Source: "city"},
	}, Options: Options{SecretFields: []string{"PIN"}}})
	src := map[string]any{
		"workEmail":   " ana@ ",
		"firstName":   nil,
		"hireDate":    "31/12/2024",
		"apiPassword": "hunter2",
		"pin":         "1234",
		"status":      "yes",
		"flag":        map[string]any{"x": 1},
		"city":        "Lindon",
	}
	got, err := m.Apply(src)
	if diff := cmp.Diff(map[string]any{"City": "Lindon"}, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %T %v", err, err)
	}
	wantMsgs := []string{
		`mapping "people": rule 0 → UserName (from workEmail " ana@ "): email: invalid email address: nothing after @`,
		`mapping "people": rule 1 → FirstName (from firstName (empty)): required value is empty`,
		`mapping "people": rule 2 → HireDate (from hireDate "31/12/2024"): date: cannot parse as a date with layouts date`,
		`mapping "people": rule 3 → Password (from apiPassword REDACTED): email: invalid email address: no @`,
		`mapping "people": rule 4 → Pin (from pin REDACTED): to-bool: not a recognised yes/no value (true/false, yes/no, 1/0, on/off, checked)`,
		`mapping "people": rule 5 → Active (from status, flag ["yes",{"x":1}]): to-bool: element 1: want bool or text, got object`,
	}
	var gotMsgs []string
	for _, e := range errs {
		gotMsgs = append(gotMsgs, e.Error())
	}
	if diff := cmp.Diff(wantMsgs, gotMsgs); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "1234") {
		t.Error("a secret value leaked into the error")
	}
	if !errors.Is(err, ErrRequired) {
		t.Error("errors.Is(err, ErrRequired) = false")
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Target != "UserName" || fe.Rule != 0 || fe.Step != "email" || fe.Source != "workEmail" {
		t.Errorf("first FieldError = %+v", fe)
	}
	if len(errs.Unwrap()) != 6 {
		t.Errorf("Unwrap: %d errors", len(errs.Unwrap()))
	}
}

func TestApplyNoErrorIsUntypedNil(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{{Target: "a", Source: "a"}}})
	_, err := m.Apply(nil)
	if err != nil {
		t.Fatalf("Apply(nil) = %v", err)
	}
}

func TestApplyModeUpdate(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "login", Source: "email", When: WhenCreate, Required: true},
		{Target: "email", Source: "email", When: WhenAlways},
		{Target: "welcome", Constant: true, When: WhenCreate},
	}})
	src := map[string]any{"email": "a@b.co"}
	create, _ := m.ApplyMode(src, Create)
	update, _ := m.ApplyMode(src, Update)
	if diff := cmp.Diff(map[string]any{"login": "a@b.co", "email": "a@b.co", "welcome": true}, create); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"email": "a@b.co"}, update); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	// A create-only required rule does not fail updates.
	if _, err := m.ApplyMode(map[string]any{}, Update); err != nil {
		t.Errorf("update with no email: %v", err)
	}
}

func TestApplySeveralSources(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "FullName", Sources: []string{"firstName", "middleName", "lastName"}, Transforms: []Step{T("trim"), T("join", "sep", " ")}},
		{Target: "Email", Sources: []string{"workEmail", "homeEmail"}, Transforms: []Step{T("coalesce"), T("lower")}},
		{Target: "Manager", Sources: []string{"work.reportsTo.id", "work.manager"}, Transforms: []Step{T("coalesce"), T("reference", "collection", "users")}},
		{Target: "Teams", Source: "teams", Transforms: []Step{T("split", "sep", ","), T("trim"), T("reference", "collection", "teams")}},
	}})
	got, err := m.Apply(map[string]any{
		"firstName": " Ada ", "middleName": nil, "lastName": "Lovelace",
		"workEmail": "", "homeEmail": "ADA@HOME.ORG",
		"work":  map[string]any{"reportsTo": nil, "manager": "77"},
		"teams": "a, b",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"FullName": "Ada Lovelace",
		"Email":    "ada@home.org",
		"Manager":  Reference{Collection: "users", Key: "77"},
		"Teams":    []any{Reference{"teams", "a"}, Reference{"teams", "b"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	c, id := got["Manager"].(Reference).Reference()
	if c != "users" || id != "77" {
		t.Errorf("Reference() = %q, %q", c, id)
	}
}

func TestTrace(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "UserName", Source: "workEmail", Transforms: []Step{T("lower")}, Required: true},
		{Target: "ssn", Source: "ssn"},
		{Target: "Level", Constant: "Learner", When: WhenCreate},
		{Target: "Phone", Source: "phone", Transforms: []Step{T("ignore-if-empty")}},
		{Target: "City", Source: "city", Default: "Unknown"},
		{Target: "Title", Source: "title", Required: true},
	}})
	got := m.Trace(map[string]any{"workEmail": "A@B.CO", "ssn": "123-45-6789"}, Update)
	for i := range got {
		if got[i].Err != nil {
			got[i].Err = errors.New(got[i].Err.Error())
		}
	}
	want := []Trace{
		{Rule: 0, Target: "UserName", Source: "workEmail", In: "A@B.CO", Out: "a@b.co", Steps: []string{"lower"}},
		{Rule: 1, Target: "ssn", Source: "ssn", In: Redacted, Out: Redacted},
		{Rule: 2, Target: "Level", Source: "constant", Skipped: true},
		{Rule: 3, Target: "Phone", Source: "phone", Steps: []string{"ignore-if-empty"}, Omitted: true},
		{Rule: 4, Target: "City", Source: "city", Out: "Unknown", Defaulted: true},
		{Rule: 5, Target: "Title", Source: "title", Err: errors.New(`mapping "m": rule 5 → Title (from title (empty)): required value is empty`)},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == nil && b == nil || a != nil && b != nil && a.Error() == b.Error() })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A Map is safe for concurrent use (run with -race).
func TestApplyConcurrent(t *testing.T) {
	m := mustPreset(t, PresetHiBobLearnAmp)
	var emp map[string]any
	readJSON(t, "hibob_record.json", &emp)
	want, err := m.Apply(emp)
	if err != nil {
		t.Fatal(err)
	}
	results := make(chan map[string]any, 8)
	for i := 0; i < 8; i++ {
		go func() {
			got, _ := m.Apply(emp)
			_ = m.Trace(emp, Update)
			results <- got
		}()
	}
	for i := 0; i < 8; i++ {
		if diff := cmp.Diff(want, <-results); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

// Rules with the same source and chain share one run per Apply; each still
// applies its own default, required flag and When.
func TestSharedChains(t *testing.T) {
	reg, calls := countingRegistry(t)
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "login", Source: "email", Transforms: []Step{T("count"), T("email")}, When: WhenCreate},
		{Target: "email", Source: "email", Transforms: []Step{T("count"), T("email")}, Required: true},
		{Target: "backup", Source: "email", Transforms: []Step{T("count"), T("email")}, Default: "none"},
		{Target: "other", Source: "email", Transforms: []Step{T("count")}},
	}}, WithRegistry(reg))
	got, err := m.Apply(map[string]any{"email": "a@b.co"})
	if err != nil || *calls != 2 {
		t.Fatalf("Apply: %v, chain ran %d times, want 2", err, *calls)
	}
	if diff := cmp.Diff(map[string]any{"login": "a@b.co", "email": "a@b.co", "backup": "a@b.co", "other": "a@b.co"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	*calls = 0
	got, err = m.ApplyMode(map[string]any{}, Update)
	if *calls != 2 || !errors.Is(err, ErrRequired) {
		t.Fatalf("Update: %v, chain ran %d times", err, *calls)
	}
	if diff := cmp.Diff(map[string]any{"backup": "none", "other": nil}, got); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	_, err = m.Apply(map[string]any{"email": "bad"})
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("want 3 field errors, got %v", err)
	}
}

// A long value in an error is cut on a character boundary.
func TestDisplayCutsOnRuneBoundary(t *testing.T) {
	s := strings.Repeat("a", 63) + "ééé"
	if got := display(s); !utf8.ValidString(got) || strings.Contains(got, `\x`) {
		t.Errorf("display = %s", got)
	}
	long := []any{strings.Repeat("b", 60) + "ééé"}
	if got := display(long); !utf8.ValidString(got) {
		t.Errorf("display = %q", got)
	}
}

// Several sources that are all empty count as empty: ignore-if-empty leaves
// the target untouched, a default applies and Required fails, instead of
// writing a list of nulls.
func TestAllEmptySourcesAreEmpty(t *testing.T) {
	m := mustCompile(t, Spec{Name: "m", Rules: []Rule{
		{Target: "ignored", Sources: []string{"a", "b"}, Transforms: []Step{T("ignore-if-empty"), T("join", "sep", " ")}},
		{Target: "defaulted", Sources: []string{"a", "b"}, Default: "none"},
		{Target: "required", Sources: []string{"a", "b"}, Required: true},
		{Target: "kept", Sources: []string{"a", "c"}, Transforms: []Step{T("ignore-if-empty"), T("join", "sep", "+")}},
	}})
	got, err := m.Apply(map[string]any{"a": " ", "c": "x"})
	if diff := cmp.Diff([]string{"required"}, targetsOf(err)); diff != "" {
		t.Errorf("failed targets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"defaulted": "none", "kept": "x"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if IsEmpty([]any{nil, []any{""}}) != true || IsEmpty([]any{nil, false}) != false {
		t.Error("IsEmpty on lists")
	}
}

// Each of Apply's errors names its target through FieldTarget, so a caller
// that does not import mapping (the sync engine) can drop the errors of
// create-only targets when it updates.
func TestFieldErrorFieldTarget(t *testing.T) {
	m := mustCompile(t, Spec{Name: "hr-lms", Rules: []Rule{
		{Target: "email", Source: "email", Required: true},
		{Target: "custom.level", Source: "level", Required: true, When: WhenCreate},
		{Target: "HireDate", Source: "hireDate", When: WhenCreate,
			Transforms: []Step{T("date", "from", "date", "to", "date")}},
	}})
	_, err := m.Apply(map[string]any{"email": "", "hireDate": "31/12/2026"})
	multi, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Apply error %T has no Unwrap() []error", err)
	}
	type got struct {
		Target     string
		CreateOnly bool
	}
	var gots []got
	for _, e := range multi.Unwrap() {
		var ft interface{ FieldTarget() string }
		if !errors.As(e, &ft) {
			t.Fatalf("error %q has no FieldTarget", e)
		}
		gots = append(gots, got{ft.FieldTarget(), m.CreateOnly(ft.FieldTarget())})
	}
	want := []got{{"email", false}, {"custom.level", true}, {"HireDate", true}}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
}

// FieldSource names where a failed rule read its value, so the engine can
// say "workEmail (needed for UserName)" without importing mapping.
func TestFieldErrorFieldSource(t *testing.T) {
	m := mustCompile(t, Spec{Name: "hr-lms", Rules: []Rule{
		{Target: "UserName", Source: "workEmail", Required: true},
		{Target: "Name", Sources: []string{"first", "last"}, Required: true,
			Transforms: []Step{T("join", "sep", " ")}},
	}})
	_, err := m.Apply(map[string]any{})
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fs interface{ FieldSource() string }
		if !errors.As(e, &fs) {
			t.Fatalf("error %q has no FieldSource", e)
		}
		got = append(got, fs.FieldSource())
	}
	if diff := cmp.Diff([]string{"workEmail", "first, last"}, got); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
}
