package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the README's hibob-learnamp output block from a real run")

const (
	readmePath = "../../README.md"
	// section is the heading of the example's README section.
	section = "## HiBob → Learn Amp"
	// outputMarker precedes the section's output block.
	outputMarker = "<!-- hibob-learnamp output: checked by examples/hibob-learnamp/readme_test.go -->"
)

// What varies between runs, and nothing else, is normalized before the
// README's block and a real run's stdout are compared: temp paths,
// durations, ports, and the dates the fake company's relative ones fall on.
var varying = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`rostersync-hibob-learnamp-\d+`), "rostersync-hibob-learnamp-N"},
	{regexp.MustCompile(`hibob-learnamp-report-\d{8}T\d{6}Z-\d+\.csv`), "hibob-learnamp-report-T-N.csv"},
	{regexp.MustCompile(`Applied in [0-9.]+(ns|µs|ms|s|m[0-9.]+s):`), "Applied in D:"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`(deactivates|is created) on \d{4}-\d{2}-\d{2}`), "$1 on DATE"},
}

func normalize(s string) string {
	for _, v := range varying {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// The README's output block is what `go run ./examples/hibob-learnamp
// -apply` prints now.
func TestREADMEOutput(t *testing.T) {
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
		t.Errorf("the README's hibob-learnamp output block is not what the program prints (-README +now); "+
			"run go test ./examples/hibob-learnamp -run TestREADME -update:\n%s", diff)
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

// sectionText is the example's README section.
func sectionText(t *testing.T) string {
	t.Helper()
	readme, _, _ := readmeBlock(t)
	i := strings.Index(readme, section+"\n")
	if i < 0 {
		t.Fatalf("README lacks the section %q", section)
	}
	s := readme[i+len(section):]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// Every flag is in the section's flag table and every variable in its
// variable table; the section says what each invite policy does, and why.
func TestREADMESection(t *testing.T) {
	s := sectionText(t)
	for _, f := range flagNames(t) {
		if !regexp.MustCompile("(?m)^\\| `-" + regexp.QuoteMeta(f) + "[ `]").MatchString(s) {
			t.Errorf("the section's flag table lacks -%s", f)
		}
	}
	for _, v := range vars {
		if !strings.Contains(s, "| `"+v.Name+"` |") {
			t.Errorf("the section's variable table lacks %s", v.Name)
		}
	}
	for _, want := range []string{"`-invite start-date`", "`-invite now`", "`-invite never`", "no call to invite", "skipInvitation",
		"deactivates on", "the day after"} {
		if !strings.Contains(s, want) {
			t.Errorf("the section lacks %q", want)
		}
	}
}
