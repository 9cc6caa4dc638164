package runner

import (
	"slices"
	"strings"
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

// CSVRows maps each row by the header; a file that is not CSV panics,
// naming it.
func TestCSVRows(t *testing.T) {
	rows := CSVRows("c.csv", "key,name\nbo,Bo Chen\ned,\"Silva, Ed\"\n")
	if len(rows) != 2 || rows[0]["key"] != "bo" || rows[0]["name"] != "Bo Chen" || rows[1]["name"] != "Silva, Ed" {
		t.Errorf("rows %q", rows)
	}
	for _, bad := range []string{"", "a,b\n1,2,3\n"} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.HasPrefix(r, "c.csv: ") {
					t.Errorf("%q: panic %q, want one naming the file", bad, r)
				}
			}()
			CSVRows("c.csv", bad)
		}()
	}
}

// InstanceName keeps letters, digits, '.', '_' and '-', and replaces the
// rest, path separators included.
func TestInstanceName(t *testing.T) {
	if got := InstanceName("SERVICE-user_1.x/../é y"); got != "SERVICE-user_1.x_..___y" {
		t.Errorf("InstanceName = %q", got)
	}
}
