package mapping

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
