package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner/readmecheck"
)

var update = flag.Bool("update", false, "rewrite the README's quickstart output block from a real run")

const (
	readmePath = "../../README.md"
	// outputMarker precedes the quickstart's output block in the README.
	outputMarker = "<!-- quickstart output: checked by examples/bamboohr-litmos/readme_test.go -->"
)

// The README's quickstart output block is what `go run
// ./examples/bamboohr-litmos -apply` prints now (temp paths, durations
// and ports normalized).
func TestREADMEQuickstartOutput(t *testing.T) {
	r := runMain(t, nil, "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := strings.ReplaceAll(r.out, r.tmp, "/tmp")
	readmecheck.Check(t, readmePath, *update, readmecheck.Varying("bamboohr-litmos", readmecheck.Port),
		"go test ./examples/bamboohr-litmos -run TestREADME -update", readmecheck.Output{Marker: outputMarker, Got: got})
}

// Every flag is in the README's flag table, and every variable in its
// variable table.
func TestREADMETables(t *testing.T) {
	readmecheck.Tables(t, readmecheck.Read(t, readmePath), flagNames(t), vars)
}
