package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the README's quickstart output block from a real run")

const (
	readmePath = "../../README.md"
	// outputMarker precedes the quickstart's output block in the README.
	outputMarker = "<!-- quickstart output: checked by examples/bamboohr-litmos/readme_test.go -->"
)

// What varies between runs, and nothing else, is normalized before the
// README's block and a real run's stdout are compared.
var varying = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`rostersync-bamboohr-litmos-\d+`), "rostersync-bamboohr-litmos-N"},
	{regexp.MustCompile(`bamboohr-litmos-report-\d{8}T\d{6}Z-\d+\.csv`), "bamboohr-litmos-report-T-N.csv"},
	{regexp.MustCompile(`Applied in [0-9.]+(ns|µs|ms|s|m[0-9.]+s):`), "Applied in D:"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
}

func normalize(s string) string {
	for _, v := range varying {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// The README's quickstart output block is what `go run
// ./examples/bamboohr-litmos -apply` prints now.
func TestREADMEQuickstartOutput(t *testing.T) {
	r := runMain(t, nil, "-apply")
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
		t.Errorf("the README's quickstart output block is not what the program prints (-README +now); "+
			"run go test ./examples/bamboohr-litmos -run TestREADME -update:\n%s", diff)
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
	close := strings.Index(readme[start-1:], "\n```\n") // from the opening fence's newline: an empty block closes at once
	if close < 0 {
		t.Fatal("the output block is not closed")
	}
	return readme, start, start + close
}

// Every flag is in the README's flag table, and every variable in its
// variable table.
func TestREADMETables(t *testing.T) {
	readme, _, _ := readmeBlock(t)
	for _, f := range flagNames(t) {
		if !regexp.MustCompile("(?m)^\\| `-" + regexp.QuoteMeta(f) + "[ `]").MatchString(readme) {
			t.Errorf("the README's flag table lacks -%s", f)
		}
	}
	for _, v := range vars {
		if !strings.Contains(readme, "| `"+v.Name+"` |") {
			t.Errorf("the README's variable table lacks %s", v.Name)
		}
	}
}
