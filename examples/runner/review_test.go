package runner

import (
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// A failing record has one wording everywhere (its Detail); -v adds the
// full error under its row when that says more.
func TestRowsVerbose(t *testing.T) {
	rep := &syncengine.Report{Outcomes: []syncengine.Outcome{
		{AID: "1", Result: syncengine.ResultCreated},
		{AID: "2", Result: syncengine.ResultFailed, Detail: "litmos: 500 …", Error: "litmos: 500\nbody: upstream timeout"},
		{AID: "3", Result: syncengine.ResultFailed, Detail: "one line", Error: "one line"},
	}}
	for _, verbose := range []bool{false, true} {
		var b strings.Builder
		r := &run{o: &options{verbose: verbose}, out: &b}
		r.rows(rep, nil)
		out := b.String()
		if strings.Count(out, "litmos: 500 …") != 1 || strings.Count(out, "one line") != 1 {
			t.Errorf("verbose %v: rows lack the details:\n%s", verbose, out)
		}
		if got := strings.Contains(out, "      error: litmos: 500\n             body: upstream timeout\n"); got != verbose {
			t.Errorf("verbose %v: full error shown %v:\n%s", verbose, got, out)
		}
	}
}
