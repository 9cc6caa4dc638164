package mapping

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Helpers shared by the package's tests.

// mustCompile compiles s with opts, failing the test on an error.
func mustCompile(t testing.TB, s Spec, opts ...Option) *Map {
	t.Helper()
	m, err := Compile(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// countingRegistry is the default registry plus a transform "count" that
// passes its value through and counts its runs in *calls.
func countingRegistry(t testing.TB) (reg *Registry, calls *int) {
	t.Helper()
	calls = new(int)
	reg = DefaultRegistry()
	if err := reg.Register("count", func(Args) (Transform, error) {
		return Func(func(v any) (any, error) { *calls++; return v, nil }), nil
	}); err != nil {
		t.Fatal(err)
	}
	return reg, calls
}

// without returns a copy of rec without keys.
func without(rec map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// targetsOf lists the failed targets of Apply's error, nil when it is not
// an Errors.
func targetsOf(err error) []string {
	var errs Errors
	if !errors.As(err, &errs) {
		return nil
	}
	return errs.Targets()
}

// checkFailed checks that err is nil when want is, and otherwise an Errors
// holding ErrRequired whose failed targets are want.
func checkFailed(t *testing.T, name string, err error, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	var errs Errors
	if !errors.As(err, &errs) || !errors.Is(err, ErrRequired) {
		t.Fatalf("%s: want ErrRequired in Errors, got %v", name, err)
	}
	if diff := cmp.Diff(want, errs.Targets()); diff != "" {
		t.Errorf("%s: failed targets (-want +got):\n%s", name, diff)
	}
}

// date is midnight UTC on the given day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
