package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
	"github.com/rostersync/rostersync/syncengine"
)

// marks and verbs per action, Terraform style.
var (
	marks = map[bamboohrlitmos.Action]string{
		bamboohrlitmos.Created: "+", bamboohrlitmos.Updated: "~", bamboohrlitmos.Deactivated: "-",
		bamboohrlitmos.Reactivated: "+", bamboohrlitmos.Skipped: "#", bamboohrlitmos.Failed: "x",
	}
	verbs = map[bamboohrlitmos.Action]string{
		bamboohrlitmos.Created: "create", bamboohrlitmos.Updated: "update", bamboohrlitmos.Deactivated: "deactivate",
		bamboohrlitmos.Reactivated: "reactivate", bamboohrlitmos.Skipped: "skip", bamboohrlitmos.Failed: "fail",
	}
)

func unchanged(r bamboohrlitmos.Row) bool {
	return r.Action == bamboohrlitmos.Skipped && r.Reason == string(syncengine.ReasonUnchanged)
}

// printRows prints every row that is not simply unchanged. A preview
// uses verbs ("create"), a result the report's words ("created").
func printRows(w io.Writer, rep *bamboohrlitmos.Report) {
	for _, r := range rep.Rows {
		if unchanged(r) {
			continue
		}
		word := string(r.Action)
		if rep.Preview {
			word = verbs[r.Action]
		}
		user := r.Username
		if user == "" {
			user = "-"
		}
		detail := strings.Join(r.Fields, ", ")
		if r.Action != bamboohrlitmos.Updated || r.Reason != "" {
			detail = r.Reason
		}
		line := fmt.Sprintf("  %s %-11s %5s  %-20s %-34s %s", marks[r.Action], word, r.EmployeeID, r.Name, user, detail)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// printPlan prints a preview: the rows, then a summary line, or "No changes."
func printPlan(w io.Writer, rep *bamboohrlitmos.Report, p *syncengine.Plan, verbose bool) {
	if verbose {
		fmt.Fprintln(w, strings.TrimRight(p.String(), "\n"))
		fmt.Fprintln(w)
	}
	c := rep.Counts()
	if writes(rep) == 0 && rep.Held == nil {
		fmt.Fprintf(w, "No changes. Litmos matches BambooHR (%d employees checked).\n", len(rep.Rows))
		if c[bamboohrlitmos.Failed] > 0 {
			fmt.Fprintf(w, "Still to fix in BambooHR:\n")
			failed := &bamboohrlitmos.Report{Preview: rep.Preview}
			for _, r := range rep.Rows {
				if r.Action == bamboohrlitmos.Failed {
					failed.Rows = append(failed.Rows, r)
				}
			}
			printRows(w, failed)
		}
		return
	}
	fmt.Fprintln(w, "Plan (BambooHR -> Litmos):")
	printRows(w, rep)
	unch := 0
	for _, r := range rep.Rows {
		if unchanged(r) {
			unch++
		}
	}
	fmt.Fprintf(w, "Plan: %d to create, %d to update, %d to deactivate, %d to reactivate; %d failing, %d skipped, %d unchanged.\n",
		c[bamboohrlitmos.Created], c[bamboohrlitmos.Updated], c[bamboohrlitmos.Deactivated], c[bamboohrlitmos.Reactivated],
		c[bamboohrlitmos.Failed], c[bamboohrlitmos.Skipped]-unch, unch)
	if rep.Held != nil {
		fmt.Fprintf(w, "Held: %d deactivations exceed the threshold; none will be applied. Review them, then add -allow-deactivations.\n",
			rep.Held.Deactivations)
	}
}

// writeReport writes the CSV report to path, or, when path is empty, to a
// new file in dir (os.TempDir when dir is empty), and returns where.
func writeReport(rep *bamboohrlitmos.Report, path, dir string) (string, error) {
	var f *os.File
	var err error
	if path == "" {
		// A new file every run, never one another user planted in a shared
		// temp directory: os.CreateTemp creates it, mode 0600.
		f, err = os.CreateTemp(dir, "bamboohr-litmos-report-"+time.Now().UTC().Format("20060102T150405Z")+"-*.csv")
	} else {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // names and emails: private
	}
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	path = f.Name()
	if err := rep.WriteCSV(f); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	return path, nil
}

// progress prints a line to w at every tenth of a run's learner writes,
// then, when the managers are written (the engine's second pass, after
// every learner exists), at every tenth of those, when a pass has more
// than progressMin steps (a real first sync paced at Litmos's 100 requests
// a minute takes minutes).
type progress struct {
	w           io.Writer
	phase       syncengine.Phase
	total, done int
	next        int
	what        string // "learners", "managers"
}

const progressMin = 50

// start readies the count of a run's learner writes (from the preview).
func (p *progress) start(writes int) { p.reset(syncengine.PhaseRecords, writes, "learners") }

func (p *progress) reset(ph syncengine.Phase, total int, what string) {
	p.phase, p.total, p.done, p.next, p.what = ph, total, 0, 1, what
}

// onPhase is the job's OnPhase; the engine calls it before each pass.
func (p *progress) onPhase(ph syncengine.Phase, steps int) {
	if ph != syncengine.PhaseReferences {
		p.phase = ph
		return
	}
	p.reset(ph, steps, "managers")
	if steps > progressMin {
		fmt.Fprintf(p.w, "progress: writing the managers of %d learners\n", steps)
	}
}

// observe is the job's OnProgress; the engine calls it serially. In the
// records pass only writes count (the preview's total); in the managers
// pass every step does.
func (p *progress) observe(_, _ int, o syncengine.Outcome) {
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
	if p.done*10 >= p.next*p.total {
		fmt.Fprintf(p.w, "progress: %d/%d %s written (%d%%)\n", p.done, p.total, p.what, p.done*100/p.total)
		p.next = p.done*10/p.total + 1
	}
}

func writes(rep *bamboohrlitmos.Report) int {
	c := rep.Counts()
	return c[bamboohrlitmos.Created] + c[bamboohrlitmos.Updated] + c[bamboohrlitmos.Deactivated] + c[bamboohrlitmos.Reactivated]
}
