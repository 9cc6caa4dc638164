package bamboohrlitmos

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// Action is what a run did to one employee's learner.
type Action string

// Actions, as the import report spells them.
const (
	Created     Action = "created"
	Updated     Action = "updated"
	Deactivated Action = "deactivated"
	Reactivated Action = "reactivated"
	Skipped     Action = "skipped"
	Failed      Action = "failed"
)

var actionOrder = []Action{Created, Updated, Deactivated, Reactivated, Skipped, Failed}

// Row is one employee in a report.
type Row struct {
	EmployeeID string // BambooHR employee id
	Name       string // first and last name
	Username   string // Litmos username (the work email)
	LitmosID   string // Litmos user id, when there is one
	Action     Action
	// Fields names the Litmos fields written (or to be written), and
	// "manager" when the manager changes.
	Fields []string
	// Reason says why an employee was skipped or failed, or why a learner
	// was deactivated.
	Reason string
}

// Report is the per-employee result of a run, or, from Preview, the staged
// list of what a plan would do.
type Report struct {
	// Preview is set for a report built from a plan: its actions say what
	// applying the plan would do, and nothing has been written.
	Preview bool
	Rows    []Row
	// Held is set when the deactivation threshold held deactivations back.
	Held *syncengine.Hold
	// Run is the engine's report of the run (nil for a preview).
	Run *syncengine.Report
}

// Counts counts the rows by action.
func (r *Report) Counts() map[Action]int {
	out := map[Action]int{}
	for _, row := range r.Rows {
		out[row.Action]++
	}
	return out
}

// Failed reports whether any employee failed.
func (r *Report) Failed() bool { return r.Counts()[Failed] > 0 }

// Summary is one line of counts: "3 created, 1 updated, 0 deactivated,
// 0 reactivated, 20 skipped, 1 failed".
func (r *Report) Summary() string {
	c := r.Counts()
	parts := make([]string, len(actionOrder))
	for i, a := range actionOrder {
		parts[i] = fmt.Sprintf("%d %s", c[a], a)
	}
	return strings.Join(parts, ", ")
}

var csvHeader = []string{"employee_id", "name", "username", "litmos_id", "action", "fields", "reason"}

// WriteCSV writes the report as CSV: a header row, then one row per
// employee with its id, name, username, Litmos id, action, changed fields
// (space-separated) and reason. The report is meant to be opened in a
// spreadsheet, so a cell that starts with =, +, -, @ or a control
// character gets a leading apostrophe: HR data must not run as a formula.
func (r *Report) WriteCSV(w io.Writer) error { return WriteReportCSV(w, r) }

// WriteReportCSV writes r as CSV; see Report.WriteCSV.
func WriteReportCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("bamboohrlitmos: write report: %w", err)
	}
	for _, row := range r.Rows {
		rec := []string{row.EmployeeID, row.Name, row.Username, row.LitmosID, string(row.Action),
			strings.Join(row.Fields, " "), row.Reason}
		for i := range rec {
			rec[i] = defuse(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("bamboohrlitmos: write report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("bamboohrlitmos: write report: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet from reading s as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Preview lists, per employee, what applying p would do: the staged
// employee list to review before Apply. It writes nothing.
func (j *Job) Preview(p *syncengine.Plan) *Report {
	rep := &Report{Preview: true, Held: p.Held}
	for i := range p.Changes {
		rep.Rows = append(rep.Rows, j.row(outcomeOfChange(&p.Changes[i])))
	}
	return rep
}

// report turns an engine report into the job's.
func (j *Job) report(r *syncengine.Report) *Report {
	rep := &Report{Held: r.Held, Run: r, Rows: make([]Row, 0, len(r.Outcomes))}
	for _, o := range r.Outcomes {
		rep.Rows = append(rep.Rows, j.row(o))
	}
	return rep
}

// outcomeOfChange is the planned outcome of one change.
func outcomeOfChange(ch *syncengine.Change) syncengine.Outcome {
	o := syncengine.Outcome{Collection: ch.Collection, AID: ch.AID, BID: ch.BID, Key: ch.Key,
		Action: ch.Action, Reason: ch.Reason, Status: syncengine.StatusSkipped, Error: ch.Error}
	switch ch.Action {
	case syncengine.ActionCreate, syncengine.ActionUpdate, syncengine.ActionDeactivate, syncengine.ActionReactivate:
		o.Status = syncengine.StatusPlanned
	}
	for _, d := range ch.Fields {
		o.Fields = append(o.Fields, d.Field)
	}
	for _, rd := range ch.Refs {
		if len(rd.Unresolved) == 0 {
			o.Fields = append(o.Fields, rd.Role)
		}
	}
	return o
}

// row turns one outcome into a report row.
func (j *Job) row(o syncengine.Outcome) Row {
	a, b := j.people.get(syncengine.SideA, o.AID), j.people.get(syncengine.SideB, o.BID)
	row := Row{EmployeeID: o.AID, Name: a.name, Username: b.username, LitmosID: o.BID}
	if row.Name == "" {
		row.Name = b.name
	}
	if row.Username == "" {
		row.Username = o.Key
	}
	if row.Username == "" {
		row.Username = a.username
	}
	for _, f := range o.Fields {
		if f != syncengine.ActiveField {
			row.Fields = append(row.Fields, f)
		}
	}
	row.Action, row.Reason = j.classify(o)
	return row
}

// classify picks a row's action and reason.
func (j *Job) classify(o syncengine.Outcome) (Action, string) {
	detail := joinReason(o.Error, o.Note)
	switch {
	case o.Status == syncengine.StatusFailed, o.Action == syncengine.ActionError, o.Action == syncengine.ActionConflict:
		return Failed, detail
	case o.Action == syncengine.ActionSkip && o.Reason == syncengine.ReasonMissingField:
		return Failed, "missing or invalid required field: " + failedFields(o)
	case o.Action == syncengine.ActionSkip:
		return Skipped, joinReason(skipReason(o.Reason), o.Note)
	case o.Status == syncengine.StatusSkipped && o.Error != "":
		return Failed, detail // a write that was not carried out (run stopped)
	case o.Status == syncengine.StatusSkipped:
		return Skipped, joinReason("already done", o.Note)
	}
	switch o.Action {
	case syncengine.ActionCreate:
		return Created, o.Note
	case syncengine.ActionUpdate:
		return Updated, o.Note
	case syncengine.ActionReactivate:
		return Reactivated, joinReason("active in BambooHR with Litmos Access", o.Note)
	case syncengine.ActionDeactivate:
		return Deactivated, joinReason(deactivateReason(o.Reason), o.Note)
	}
	return Skipped, detail
}

// deactivateReason words the engine's deactivation reason for HR people.
func deactivateReason(r syncengine.Reason) string {
	switch r {
	case syncengine.ReasonInactive:
		return "inactive or terminated in BambooHR"
	case syncengine.ReasonLeftScope:
		return "no Litmos Access any more"
	case syncengine.ReasonSourceGone:
		// The connector lists only employees with Litmos Access, so a
		// full sync cannot tell an unticked box from a deleted employee.
		return "no Litmos Access any more (or removed from BambooHR)"
	}
	return "deactivated by the sync rules"
}

func skipReason(r syncengine.Reason) string {
	switch r {
	case syncengine.ReasonInactive:
		return "inactive or terminated in BambooHR; no learner to create"
	case syncengine.ReasonOutOfScope:
		return "no Litmos Access"
	}
	return string(r)
}

// failedFields words the fields the map failed on (o.Failures) as
// "workEmail (needed for UserName, Email)"; an error that names no field
// is kept whole, on one line.
func failedFields(o syncengine.Outcome) string {
	if len(o.Failures) == 0 {
		return strings.ReplaceAll(strings.TrimSpace(o.Error), "\n", "; ")
	}
	var sources, targets []string
	for _, f := range o.Failures {
		src := f.Source
		if src == "" { // a custom FieldMap whose errors name no source
			src = f.Target
		}
		if !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
		targets = append(targets, f.Target)
	}
	return fmt.Sprintf("%s (needed for %s)", strings.Join(sources, ", "), strings.Join(targets, ", "))
}

func joinReason(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
