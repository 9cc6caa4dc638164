package runner

import (
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"
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

// FixtureDate takes dates as they are and signed numbers as days from
// today.
func TestFixtureDate(t *testing.T) {
	today := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	for in, want := range map[string]string{"2024-01-08": "2024-01-08", "+14": "2026-03-24", "-45": "2026-01-24", "+0": "2026-03-10", "": "", "14": "14"} {
		if got := FixtureDate(in, today); got != want {
			t.Errorf("FixtureDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// -employees defaults to the cast and refuses a size out of range.
func TestEmployeesFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		n    int
		err  string
	}{{nil, 5, ""}, {[]string{"-employees", "7"}, 7, ""}, {[]string{"-employees", "4"}, 0, "-employees: 4 is out of range [5, 100000]"},
		{[]string{"-employees", "100001"}, 0, "out of range"}} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		n := EmployeesFlag(fs, 5)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		got, err := n()
		if got != tc.n || (err == nil) != (tc.err == "") || (err != nil && (!strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrUsage))) {
			t.Errorf("%q: %d, %v; want %d, %q", tc.args, got, err, tc.n, tc.err)
		}
	}
}

// LeaveLast makes the last n of the ids leave.
func TestLeaveLast(t *testing.T) {
	var f Fake
	var left []int
	LeaveLast(&f, []int{1, 2, 3, 4}, func(id int) { left = append(left, id) })
	f.Leave(2)
	if f.Leavers != 4 || !slices.Equal(left, []int{3, 4}) {
		t.Errorf("Leavers %d, left %v: want 4 and [3 4]", f.Leavers, left)
	}
}
