package main

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/examples/runner/readmecheck"
)

var update = flag.Bool("update", false, "rewrite the README's litmos-portal output blocks from real runs")

const readmePath = "../../README.md"

// The README's blocks, each after its marker.
const (
	syncMarker   = "<!-- litmos-portal output: checked by examples/litmos-portal/readme_test.go -->"
	assignMarker = "<!-- litmos-portal assign output: checked by examples/litmos-portal/readme_test.go -->"
)

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
	readmecheck.Check(t, readmePath, *update, readmecheck.Varying("litmos-portal"),
		"go test ./examples/litmos-portal -run TestREADME -update",
		readmecheck.Output{Marker: syncMarker, Got: sync}, readmecheck.Output{Marker: assignMarker, Got: r.out})
}

// Every flag, the runner's and the example's, is in the README's flag
// table of the section, and every variable in its variable table.
func TestREADMETables(t *testing.T) {
	p := program(&session{})
	section := readmecheck.Section(t, readmecheck.Read(t, readmePath), syncMarker)
	readmecheck.Tables(t, section, runner.FlagNames(p), p.Vars)
}
