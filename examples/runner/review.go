package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// review shows plan p as -allow-deactivations and -only shape it, saves it
// (-plan-out) and, with -apply, applies it. first is false for the tour's
// re-run, which writes no report and prints no JSON.
func (r *run) review(ctx context.Context, p *syncengine.Plan, first bool) error {
	o := r.o
	if o.allowDeac {
		p = p.AllowDeactivations()
	}
	if missing := p.Unknown(o.only...); len(missing) > 0 {
		return Usagef("-only: %ss not in the plan (out of scope, or unknown): %s", r.p.Nouns.Source, strings.Join(missing, ", "))
	}
	if len(o.only) > 0 {
		p = p.Only(o.only...)
	}
	var rf *reportFile
	if first {
		rf = r.report
	}
	pv := r.eng.Preview(p)
	pending := r.printPlan(pv, p)
	if first && o.planOut != "" {
		if err := r.savePlan(p); err != nil {
			return err
		}
		fmt.Fprintf(r.out, "Saved the plan to %s: apply exactly it with -plan %s -apply.\n", o.planOut, o.planOut)
	}
	switch {
	case !o.apply || !pending:
		if pending {
			fmt.Fprintln(r.out, "\nNothing was written. Run again with -apply to apply this plan.")
		}
		if err := r.finish(pv, rf, first); err != nil {
			return err
		}
		if o.detailed && pending {
			return errPending
		}
		return nil
	case p.Held != nil:
		_ = r.finish(pv, nil, first)
		return fmt.Errorf("nothing was written: the plan deactivates %d %ss, more than the deactivation threshold allows; "+
			"review them, then run again with -apply -allow-deactivations", p.Held.Deactivations, r.p.Nouns.Target)
	}
	return r.apply(ctx, p, pv, rf, first)
}

func (r *run) apply(ctx context.Context, p *syncengine.Plan, pv *syncengine.Report, rf *reportFile, first bool) error {
	r.prog.begin(pv.Writes())
	start := time.Now()
	rep, err := r.eng.Apply(ctx, p)
	r.prog.end()
	if rep == nil {
		return err // refused before any write
	}
	fmt.Fprintf(r.out, "\nApplied in %s: %s.\n", time.Since(start).Round(time.Millisecond), rep.Summary())
	r.rows(rep, func(o *syncengine.Outcome) bool { return o.Result == syncengine.ResultFailed })
	if ferr := r.finish(rep, rf, first); ferr != nil {
		return errors.Join(err, ferr)
	}
	if err != nil {
		return err
	}
	r.applied = first
	if n := writeFailures(rep); n > 0 {
		return fmt.Errorf("%d of the plan's writes failed or were refused (listed above, and in the report)", n)
	}
	return nil
}

// finish writes the report (rep; a plan run's is its preview) and the
// JSON of the first run.
func (r *run) finish(rep *syncengine.Report, rf *reportFile, first bool) error {
	if rf != nil && rep != nil {
		path, err := rf.commit(rep)
		if err != nil {
			return err
		}
		what := "Report"
		if rep.Preview {
			what = "Report of the plan"
		}
		row := r.p.Nouns.Source
		if collections(rep) > 1 {
			row = "record"
		}
		fmt.Fprintf(r.out, "%s (CSV, one row per %s): %s\n", what, row, path)
	}
	if first && r.o.json && rep != nil {
		return rep.WriteJSON(r.stdout)
	}
	return nil
}

func writeFailures(rep *syncengine.Report) int {
	n := 0
	for i := range rep.Outcomes {
		if rep.Outcomes[i].Status == syncengine.StatusFailed {
			n++
		}
	}
	return n
}

// printPlan prints the staged list and its summary, or "No changes.", and
// reports whether anything is pending.
func (r *run) printPlan(pv *syncengine.Report, p *syncengine.Plan) bool {
	if r.o.verbose {
		fmt.Fprintln(r.out, strings.TrimRight(p.String(), "\n"))
		fmt.Fprintln(r.out)
	}
	if pv.Writes() == 0 && !p.HasChanges() && p.Held == nil {
		fmt.Fprintf(r.out, "No changes. %s matches %s (%s checked).\n", r.p.Target, r.p.Source, r.checked(pv))
		due := func(o *syncengine.Outcome) bool { return o.Due != "" }
		if slices.ContainsFunc(pv.Outcomes, func(o syncengine.Outcome) bool { return due(&o) }) {
			fmt.Fprintln(r.out, "Coming up (a later run or event does these on the day):")
			r.rows(pv, due)
		}
		failing := func(o *syncengine.Outcome) bool { return o.Result == syncengine.ResultFail }
		if pv.Counts[syncengine.ResultFail] > 0 {
			fmt.Fprintf(r.out, "Still to fix in %s:\n", r.p.Source)
			r.rows(pv, failing)
		}
		return false
	}
	fmt.Fprintf(r.out, "Plan (%s -> %s):\n", r.p.Source, r.p.Target)
	r.rows(pv, nil)
	fmt.Fprintln(r.out, pv.Summary())
	if p.Held != nil {
		fmt.Fprintf(r.out, "Held: %d deactivations exceed the threshold; none will be applied. "+
			"Review them, then add -allow-deactivations.\n", p.Held.Deactivations)
	}
	return true
}

// rows prints the report's rows keep selects; with -v each failure's full
// error follows its row when it says more than the row.
func (r *run) rows(rep *syncengine.Report, keep func(*syncengine.Outcome) bool) {
	var b strings.Builder
	_ = rep.WriteRows(&b, keep)
	if !r.o.verbose {
		fmt.Fprint(r.out, b.String())
		return
	}
	if keep == nil {
		keep = func(o *syncengine.Outcome) bool { return o.Result != syncengine.ResultUnchanged }
	}
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	for i := range rep.Outcomes {
		o := &rep.Outcomes[i]
		if !keep(o) || !sc.Scan() {
			continue
		}
		fmt.Fprintln(r.out, sc.Text())
		if o.Error != "" && strings.TrimSpace(o.Error) != o.Detail {
			fmt.Fprintf(r.out, "      error: %s\n", strings.ReplaceAll(strings.TrimSpace(o.Error), "\n", "\n             "))
		}
	}
}

// checked counts the records a plan looked at: "30 employees", or with
// more than one collection "17 employees, 7 teams".
func (r *run) checked(pv *syncengine.Report) string {
	n := map[syncengine.Collection]int{}
	for i := range pv.Outcomes {
		n[pv.Outcomes[i].Collection]++
	}
	if len(n) <= 1 {
		return plural(len(pv.Outcomes), r.p.Nouns.Source)
	}
	parts := []string{plural(n[syncengine.Users], r.p.Nouns.Source)}
	for _, c := range slices.Sorted(maps.Keys(n)) {
		if c != syncengine.Users {
			parts = append(parts, plural(n[c], strings.TrimSuffix(string(c), "s")))
		}
	}
	return strings.Join(parts, ", ")
}

func collections(rep *syncengine.Report) int {
	seen := map[syncengine.Collection]bool{}
	for i := range rep.Outcomes {
		seen[rep.Outcomes[i].Collection] = true
	}
	return len(seen)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
