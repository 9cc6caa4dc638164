package runner

import (
	"fmt"
	"io"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/schollz/progressbar/v3"
)

// progressMin: passes with this many steps or fewer show no progress (they
// take seconds); a real first sync paced at a vendor's rate limit takes
// minutes.
const progressMin = 50

// progress shows an apply's progress on w: a bar with the count, the rate
// and the time left when w is a terminal, else a line at every tenth
// ("progress: 120/500 learners written (24%)"). The records pass counts
// the writes the preview announced; the references pass counts its steps.
// The engine calls it serially.
type progress struct {
	w     io.Writer
	term  bool
	nouns Nouns

	armed       bool // between begin and end: webhook runs show nothing
	phase       syncengine.Phase
	total, done int
	next        int // the next tenth to print
	what        string
	bar         *progressbar.ProgressBar
}

// newProgress shows progress on w, with a bar when onTerm.
func newProgress(w io.Writer, onTerm bool, n Nouns) *progress {
	return &progress{w: w, nouns: n, term: onTerm}
}

// begin arms the progress for an apply that writes writes records.
func (p *progress) begin(writes int) {
	p.armed = true
	p.reset(syncengine.PhaseRecords, writes, p.nouns.Target+"s")
}

// end finishes the bar of the last pass and disarms.
func (p *progress) end() {
	p.finish()
	p.armed = false
}

func (p *progress) reset(ph syncengine.Phase, total int, what string) {
	p.finish()
	p.phase, p.total, p.done, p.next, p.what = ph, total, 0, 1, what
	if p.term && total > progressMin {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(what), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(what), progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }))
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

// onPhase is the engine's OnPhase.
func (p *progress) onPhase(ph syncengine.Phase, steps int) {
	if !p.armed || ph != syncengine.PhaseReferences {
		p.phase = ph
		return
	}
	p.reset(ph, steps, p.nouns.Refs+"s")
	if steps > progressMin && !p.term {
		fmt.Fprintf(p.w, "progress: writing the %ss of %d %ss\n", p.nouns.Refs, steps, p.nouns.Target)
	}
}

// onProgress is the engine's OnProgress. In the records pass only writes
// count (the preview's total); in the references pass every step does.
func (p *progress) onProgress(_, _ int, o syncengine.Outcome) {
	if !p.armed {
		return
	}
	if p.phase != syncengine.PhaseReferences {
		switch o.Action {
		case syncengine.ActionCreate, syncengine.ActionUpdate, syncengine.ActionDeactivate, syncengine.ActionReactivate:
		default:
			return
		}
	}
	p.done++
	if p.total <= progressMin || p.done > p.total {
		return
	}
	if p.bar != nil {
		_ = p.bar.Add(1)
		return
	}
	if p.done*10 >= p.next*p.total {
		fmt.Fprintf(p.w, "progress: %d/%d %s written (%d%%)\n", p.done, p.total, p.what, p.done*100/p.total)
		p.next = p.done*10/p.total + 1
	}
}
