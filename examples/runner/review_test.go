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

// A preview's skips are verbs, like its other rows, and still counted.
func TestVerbs(t *testing.T) {
	pv := verbs(&syncengine.Report{Preview: true, Counts: map[syncengine.Result]int{syncengine.ResultSkipped: 1},
		Outcomes: []syncengine.Outcome{{AID: "1", Result: syncengine.ResultSkipped}}})
	if pv.Outcomes[0].Result != syncengine.ResultSkip || pv.Counts[syncengine.ResultSkip] != 1 || pv.Counts[syncengine.ResultSkipped] != 0 {
		t.Errorf("verbs: %+v", pv)
	}
	if !strings.Contains(pv.Summary(), "1 skipped") {
		t.Errorf("summary %q", pv.Summary())
	}
}
