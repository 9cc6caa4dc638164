package runner

import (
	"slices"
	"testing"
)

// OptionIf makes an option from a variable that is set (trimmed), and
// none from one that is empty or blank.
func TestOptionIf(t *testing.T) {
	env := Env{func(k string) string {
		return map[string]string{"X_BASE_URL": " https://x.example ", "BLANK": "  "}[k]
	}}
	with := func(s string) string { return "url=" + s }
	if got := OptionIf(env, "X_BASE_URL", with); !slices.Equal(got, []string{"url=https://x.example"}) {
		t.Errorf("set: %q", got)
	}
	for _, name := range []string{"BLANK", "UNSET"} {
		if got := OptionIf(env, name, with); len(got) != 0 {
			t.Errorf("%s: %q, want no option", name, got)
		}
	}
}
