package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/examples/runner"
)

var update = flag.Bool("update", false, "rewrite the README's litmos-portal output blocks from real runs")

const readmePath = "../../README.md"

// The README's blocks, each after its marker.
const (
	syncMarker   = "<!-- litmos-portal output: checked by examples/litmos-portal/readme_test.go -->"
	assignMarker = "<!-- litmos-portal assign output: checked by examples/litmos-portal/readme_test.go -->"
)

// What varies between runs, and nothing else, is normalized.
var varying = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`rostersync-litmos-portal-\d+`), "rostersync-litmos-portal-N"},
	{regexp.MustCompile(`litmos-portal-report-\d{8}T\d{6}Z-\d+\.csv`), "litmos-portal-report-T-N.csv"},
	{regexp.MustCompile(`Applied in [0-9.]+(ns|µs|ms|s|m[0-9.]+s):`), "Applied in D:"},
}

func normalize(s string) string {
	for _, v := range varying {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// The README's blocks are what `go run ./examples/litmos-portal -apply -db
// portal.db` and then the -assign command print now, in a new directory.
func TestREADMEOutput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "portal.db")
	r := runMain(t, nil, "-apply", "-db", db)
	if r.code != 0 {
		t.Fatal(r)
	}
	sync := strings.ReplaceAll(strings.ReplaceAll(r.out, db, "portal.db"), r.tmp, "/tmp")
	r = runMain(t, nil, "-db", db, "-assign", "ana.lima@northwind.example=leWpJdxgS5x1,mXsSr5l5GUm1", "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	assign := r.out
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, blk := range []struct{ marker, got string }{{syncMarker, sync}, {assignMarker, assign}} {
		start, end := block(t, readme, blk.marker)
		if *update {
			readme = readme[:start] + blk.got + readme[end:]
			continue
		}
		if diff := cmp.Diff(strings.Split(normalize(readme[start:end]), "\n"), strings.Split(normalize(blk.got), "\n")); diff != "" {
			t.Errorf("the README's block after %s is not what the program prints (-README +now); "+
				"run go test ./examples/litmos-portal -run TestREADME -update:\n%s", blk.marker, diff)
		}
	}
	if *update {
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// block returns the bounds of the code block after marker.
func block(t *testing.T, readme, marker string) (start, end int) {
	t.Helper()
	i := strings.Index(readme, marker)
	if i < 0 {
		t.Fatalf("README lacks the marker %q", marker)
	}
	open := strings.Index(readme[i:], "```\n")
	if open < 0 {
		t.Fatal("no code block after the marker")
	}
	start = i + open + len("```\n")
	close := strings.Index(readme[start-1:], "\n```\n")
	if close < 0 {
		t.Fatal("the block is not closed")
	}
	return start, start + close
}

// Every flag, the runner's and the example's, is in the README's flag
// table of the section, and every variable in its variable table.
func TestREADMETables(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, syncMarker)
	if i < 0 {
		t.Fatal("no litmos-portal section")
	}
	section := readme[i:]
	if j := strings.Index(section, "\n## "); j > 0 {
		section = section[:j]
	}
	names := runner.FlagNames(program(&session{}))
	for _, f := range names {
		if !regexp.MustCompile("(?m)^\\| `-" + regexp.QuoteMeta(f) + "[ `]").MatchString(section) {
			t.Errorf("the litmos-portal flag table lacks -%s", f)
		}
	}
	for _, v := range program(&session{}).Vars {
		if !strings.Contains(section, "| `"+v.Name+"` |") {
			t.Errorf("the litmos-portal variable table lacks %s", v.Name)
		}
	}
}
