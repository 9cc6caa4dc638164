package runner

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

var nouns = Nouns{Source: "person", Target: "user", Refs: "manager"}

func create() syncengine.Outcome { return syncengine.Outcome{Action: syncengine.ActionCreate} }
func skip() syncengine.Outcome   { return syncengine.Outcome{Action: syncengine.ActionSkip} }

// drive runs an apply of writes records (and as many unchanged ones, which
// do not count), then a references pass of refs steps.
func drive(p *progress, writes, refs int) {
	p.begin(writes)
	p.onPhase(syncengine.PhaseRecords, 2*writes)
	for range writes {
		p.onProgress(0, 0, skip())
		p.onProgress(0, 0, create())
	}
	if refs > 0 {
		p.onPhase(syncengine.PhaseReferences, refs)
		for range refs {
			p.onProgress(0, 0, skip())
		}
	}
	p.end()
}

// Off a terminal: a plain line at every tenth of each pass.
func TestProgressLines(t *testing.T) {
	var b strings.Builder
	drive(newProgress(&b, false, nouns), 120, 60)
	want := []string{}
	for _, n := range []int{12, 24, 36, 48, 60, 72, 84, 96, 108, 120} {
		want = append(want, "progress: "+itoa(n)+"/120 users written ("+itoa(n*100/120)+"%)")
	}
	want = append(want, "progress: writing the managers of 60 users")
	for _, n := range []int{6, 12, 18, 24, 30, 36, 42, 48, 54, 60} {
		want = append(want, "progress: "+itoa(n)+"/60 managers written ("+itoa(n*100/60)+"%)")
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(b.String()), "\n")); diff != "" {
		t.Errorf("progress lines (-want +got):\n%s", diff)
	}
}

// Small passes, and runs not armed by begin (webhook runs), show nothing.
func TestProgressQuiet(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, false, nouns)
	drive(p, progressMin, progressMin)
	p.onPhase(syncengine.PhaseRecords, 500)
	for range 500 {
		p.onProgress(0, 0, create())
	}
	if b.Len() != 0 {
		t.Errorf("want no progress, got:\n%s", b.String())
	}
}

// On a terminal: a bar with the count, the rate and the time left, and
// no plain lines.
func TestProgressBar(t *testing.T) {
	var b strings.Builder
	drive(newProgress(&b, true, nouns), 120, 0)
	out := b.String()
	for _, want := range []string{"users", "120/120", "users/s", "\r"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar output lacks %q: %q", want, out)
		}
	}
	if strings.Contains(out, "progress:") || !strings.HasSuffix(out, "\n") {
		t.Errorf("bar output %q: want no plain lines, and a newline at the end", out)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
