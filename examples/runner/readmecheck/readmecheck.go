// Package readmecheck is what every example's README test does: a
// program's output blocks in the README are what it prints now (with
// what varies between runs normalized), and its section's tables name
// every flag and variable the program has.
package readmecheck

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/examples/runner"
)

// Replace normalizes one thing that varies between runs: matches of Re
// become With (which may use Re's groups, as in regexp.ReplaceAllString).
type Replace struct {
	Re   *regexp.Regexp
	With string
}

// Varying are the replacements every example on the runner needs: its
// temporary state directory and report file (named after the program)
// and the apply's duration; extra ones follow.
func Varying(program string, extra ...Replace) []Replace {
	q := regexp.QuoteMeta(program)
	return append([]Replace{
		{regexp.MustCompile(`rostersync-` + q + `-\d+`), "rostersync-" + program + "-N"},
		{regexp.MustCompile(q + `-report-\d{8}T\d{6}Z-\d+\.csv`), program + "-report-T-N.csv"},
		{regexp.MustCompile(`Applied in [0-9.]+(ns|µs|ms|s|m[0-9.]+s):`), "Applied in D:"},
	}, extra...)
}

// Port normalizes a local listener's address.
var Port = Replace{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"}

func normalize(s string, rs []Replace) string {
	for _, r := range rs {
		s = r.Re.ReplaceAllString(s, r.With)
	}
	return s
}

// Read returns the README at path.
func Read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Block returns the bounds of the text of the code block after marker.
func Block(t testing.TB, readme, marker string) (start, end int) {
	t.Helper()
	i := strings.Index(readme, marker)
	if i < 0 {
		t.Fatalf("README lacks the marker %q", marker)
	}
	open := strings.Index(readme[i:], "```\n")
	if open < 0 {
		t.Fatalf("no code block after the marker %q", marker)
	}
	start = i + open + len("```\n")
	close := strings.Index(readme[start-1:], "\n```\n")
	if close < 0 {
		t.Fatalf("the code block after the marker %q is not closed", marker)
	}
	return start, start + close
}

// Output is a block of the README and what the program prints now.
type Output struct {
	Marker string // the HTML comment the block follows
	Got    string
}

// Check compares each output block of the README at path with what the
// program prints, normalized by rs; with update it rewrites the blocks
// instead. rerun is the command that regenerates them, for the error.
func Check(t testing.TB, path string, update bool, rs []Replace, rerun string, outs ...Output) {
	t.Helper()
	readme := Read(t, path)
	for _, o := range outs {
		start, end := Block(t, readme, o.Marker)
		if update {
			readme = readme[:start] + o.Got + readme[end:]
			continue
		}
		if diff := cmp.Diff(strings.Split(normalize(readme[start:end], rs), "\n"), strings.Split(normalize(o.Got, rs), "\n")); diff != "" {
			t.Errorf("the README's block after %s is not what the program prints (-README +now); run %s:\n%s", o.Marker, rerun, diff)
		}
	}
	if update {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Section returns readme from the first occurrence of from (a heading or
// a marker) to the next second-level heading.
func Section(t testing.TB, readme, from string) string {
	t.Helper()
	i := strings.Index(readme, from)
	if i < 0 {
		t.Fatalf("README lacks %q", from)
	}
	s := readme[i+len(from):]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// Tables checks that text's flag table has a row for each flag (without
// its dash) and its variable table a row for each variable.
func Tables(t testing.TB, text string, flags []string, vars []runner.Var) {
	t.Helper()
	for _, f := range flags {
		if !regexp.MustCompile("(?m)^\\| `-" + regexp.QuoteMeta(f) + "[ `]").MatchString(text) {
			t.Errorf("the README's flag table lacks -%s", f)
		}
	}
	for _, v := range vars {
		if !strings.Contains(text, "| `"+v.Name+"` |") {
			t.Errorf("the README's variable table lacks %s", v.Name)
		}
	}
}
