package main

import (
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner/readmecheck"
)

var update = flag.Bool("update", false, "rewrite the README's hibob-learnamp output block from a real run")

const (
	readmePath = "../../README.md"
	// section is the heading of the example's README section.
	section = "## HiBob → Learn Amp"
	// outputMarker precedes the section's output block.
	outputMarker = "<!-- hibob-learnamp output: checked by examples/hibob-learnamp/readme_test.go -->"
)

// The README's output block is what `go run ./examples/hibob-learnamp
// -apply` prints now: temp paths, durations, ports, and the dates the
// fake company's relative ones fall on normalized.
func TestREADMEOutput(t *testing.T) {
	r := runMain(t, nil, "-apply")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := strings.ReplaceAll(r.out, r.tmp, "/tmp")
	varying := readmecheck.Varying("hibob-learnamp", readmecheck.Port,
		readmecheck.Replace{Re: regexp.MustCompile(`(deactivates|is created) on \d{4}-\d{2}-\d{2}`), With: "$1 on DATE"})
	readmecheck.Check(t, readmePath, *update, varying,
		"go test ./examples/hibob-learnamp -run TestREADME -update", readmecheck.Output{Marker: outputMarker, Got: got})
}

// Every flag is in the section's flag table and every variable in its
// variable table; the section says what each invite policy does, and why.
func TestREADMESection(t *testing.T) {
	s := readmecheck.Section(t, readmecheck.Read(t, readmePath), section+"\n")
	readmecheck.Tables(t, s, flagNames(t), vars)
	for _, want := range []string{"`-invite start-date`", "`-invite now`", "`-invite never`", "no call to invite", "skipInvitation",
		"deactivates on", "the day after"} {
		if !strings.Contains(s, want) {
			t.Errorf("the section lacks %q", want)
		}
	}
}
