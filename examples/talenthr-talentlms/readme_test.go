package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/examples/runner"
)

var update = flag.Bool("update", false, "rewrite the README's talenthr-talentlms output block from a real run")

const (
	readmePath   = "../../README.md"
	outputMarker = "<!-- talenthr-talentlms output: checked by examples/talenthr-talentlms/readme_test.go -->"
	// readmeArgs is the command the README shows.
	readmeDirection = "two-way"
)

// What varies between runs, and nothing else, is normalized before the
// README's block and a real run's stdout are compared.
var varying = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`rostersync-talenthr-talentlms-\d+`), "rostersync-talenthr-talentlms-N"},
	{regexp.MustCompile(`talenthr-talentlms-report-\d{8}T\d{6}Z-\d+\.csv`), "talenthr-talentlms-report-T-N.csv"},
	{regexp.MustCompile(`Applied in [0-9.]+(ns|µs|ms|s|m[0-9.]+s):`), "Applied in D:"},
}

func normalize(s string) string {
	for _, v := range varying {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// The README's block is what `go run ./examples/talenthr-talentlms
// -direction two-way -apply` prints now.
func TestREADMEOutput(t *testing.T) {
	r := runMain(t, nil, "-direction", readmeDirection, "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := strings.ReplaceAll(r.out, r.tmp, "/tmp")
	readme, start, end := readmeBlock(t)
	if *update {
		if err := os.WriteFile(readmePath, []byte(readme[:start]+got+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(strings.Split(normalize(readme[start:end]), "\n"), strings.Split(normalize(got), "\n")); diff != "" {
		t.Errorf("the README's talenthr-talentlms block is not what the program prints (-README +now); "+
			"run go test ./examples/talenthr-talentlms -run TestREADME -update:\n%s", diff)
	}
}

// readmeBlock returns the README and the bounds of the output block's text.
func readmeBlock(t *testing.T) (readme string, start, end int) {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme = string(b)
	i := strings.Index(readme, outputMarker)
	if i < 0 {
		t.Fatalf("README lacks the marker %q", outputMarker)
	}
	open := strings.Index(readme[i:], "```\n")
	if open < 0 {
		t.Fatal("no code block after the marker")
	}
	start = i + open + len("```\n")
	close := strings.Index(readme[start-1:], "\n```\n")
	if close < 0 {
		t.Fatal("the output block is not closed")
	}
	return readme, start, start + close
}

// Every flag, the runner's and the program's own, is in the section's
// flag table, and every variable in its variable table.
func TestREADMETables(t *testing.T) {
	readme, start, _ := readmeBlock(t)
	section := readme[start:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	for _, f := range runner.FlagNames(program()) {
		if !regexp.MustCompile("(?m)^\\| `-" + regexp.QuoteMeta(f) + "[ `]").MatchString(section) {
			t.Errorf("the README's talenthr-talentlms flag table lacks -%s", f)
		}
	}
	for _, v := range vars {
		if !strings.Contains(section, "| `"+v.Name+"` |") {
			t.Errorf("the README's talenthr-talentlms variable table lacks %s", v.Name)
		}
	}
}
