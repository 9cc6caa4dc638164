package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/examples/runner/readmecheck"
)

var update = flag.Bool("update", false, "rewrite the README's talenthr-talentlms output block from a real run")

const (
	readmePath   = "../../README.md"
	outputMarker = "<!-- talenthr-talentlms output: checked by examples/talenthr-talentlms/readme_test.go -->"
	// readmeDirection is the direction of the command the README shows.
	readmeDirection = "two-way"
)

// The README's block is what `go run ./examples/talenthr-talentlms
// -direction two-way -apply` prints now.
func TestREADMEOutput(t *testing.T) {
	r := runMain(t, nil, "-direction", readmeDirection, "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := strings.ReplaceAll(r.out, r.tmp, "/tmp")
	readmecheck.Check(t, readmePath, *update, readmecheck.Varying("talenthr-talentlms"),
		"go test ./examples/talenthr-talentlms -run TestREADME -update", readmecheck.Output{Marker: outputMarker, Got: got})
}

// Every flag, the runner's and the program's own, is in the section's
// flag table, and every variable in its variable table.
func TestREADMETables(t *testing.T) {
	section := readmecheck.Section(t, readmecheck.Read(t, readmePath), outputMarker)
	readmecheck.Tables(t, section, runner.FlagNames(program()), vars)
}
