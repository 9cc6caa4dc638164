package syncengine

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Report is the result of a run, or from Engine.Preview the staged list of
// what a plan would do: counts and one outcome per record.
type Report struct {
	RunID string `json:"run_id,omitempty"`
	Pair  string `json:"pair"`
	// A and B name the connectors, for column headings.
	A string `json:"a"`
	B string `json:"b"`
	// Preview is set for a report built from a plan that was not applied
	// (Engine.Preview, a dry run): its results are verbs ("create").
	Preview    bool      `json:"preview,omitempty"`
	DryRun     bool      `json:"dry_run,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// Counts counts the outcomes by Result.
	Counts   map[Result]int `json:"counts"`
	Held     *Hold          `json:"held,omitempty"`
	Outcomes []Outcome      `json:"outcomes"`
	Error    string         `json:"error,omitempty"`
	// Columns names the CSV columns (Config.Columns).
	Columns Columns `json:"-"`
}

// Columns names the id and key columns of a report's CSV, in the words of
// the pair's people: "employee_id", "username", "litmos_id". Empty names
// take "<A>_id", "key" and "<B>_id".
type Columns struct {
	AID, Key, BID string
}

// Failed reports whether any record failed.
func (r *Report) Failed() bool { return r.Counts[ResultFailed] > 0 || r.Counts[ResultFail] > 0 }

// Writes counts the outcomes that wrote (or, in a preview, would write)
// a record.
func (r *Report) Writes() int {
	n := 0
	for _, k := range []Result{ResultCreated, ResultUpdated, ResultDeactivated, ResultReactivated,
		ResultCreate, ResultUpdate, ResultDeactivate, ResultReactivate} {
		n += r.Counts[k]
	}
	return n
}

// Summary is the report's counts in one line: for a run "27 created,
// 0 updated, 0 deactivated, 0 reactivated, 2 skipped, 1 failed" (then
// unchanged, not attempted and already applied when there are any); for
// a preview the plan's summary line (Summary.String).
func (r *Report) Summary() string {
	if r.Preview {
		return summaryOf(r.Outcomes).String()
	}
	c := r.Counts
	s := fmt.Sprintf("%d created, %d updated, %d deactivated, %d reactivated, %d skipped, %d failed",
		c[ResultCreated], c[ResultUpdated], c[ResultDeactivated], c[ResultReactivated], c[ResultSkipped], c[ResultFailed])
	for _, k := range []Result{ResultUnchanged, ResultNotAttempted, ResultAlreadyApplied} {
		if c[k] > 0 {
			s += fmt.Sprintf(", %d %s", c[k], k)
		}
	}
	return s
}

func countResults(outs []Outcome) map[Result]int {
	c := map[Result]int{}
	for i := range outs {
		c[outs[i].Result]++
	}
	return c
}

// Preview turns a plan into the report of what applying it would do: the
// staged list to review before Apply. It writes nothing. Its rows are the
// ones Apply's report starts from, so the two never describe a record
// differently.
func (e *Engine) Preview(p *Plan) *Report {
	outs := make([]Outcome, len(p.Changes))
	var names outcomeNames
	for i := range p.Changes {
		outs[i] = e.outcomeOf(&p.Changes[i], plannedStatus(&p.Changes[i]), &names)
	}
	return &Report{Pair: p.Pair, A: p.A, B: p.B, Preview: true, StartedAt: p.CreatedAt, FinishedAt: p.CreatedAt,
		Counts: countResults(outs), Held: p.Held, Outcomes: outs, Columns: e.cfg.Columns}
}

type run struct {
	id      string
	started time.Time
	dry     bool
}

func (e *Engine) startRun(dry bool) run {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return run{id: hex.EncodeToString(b[:]), started: e.cfg.Now().UTC(), dry: dry}
}

// finishRun builds the report, records the run and calls OnFinish. With
// outs nil (dry run, held plan) the outcomes come from the plan.
func (e *Engine) finishRun(ctx context.Context, r run, p *Plan, outs []Outcome, err error) (*Report, error) {
	rep := &Report{RunID: r.id, Pair: e.cfg.Pair, A: e.cfg.A.Name(), B: e.cfg.B.Name(), DryRun: r.dry,
		StartedAt: r.started, Columns: e.cfg.Columns}
	if p != nil {
		rep.Held = p.Held
		if outs == nil {
			pv := e.Preview(p)
			outs, rep.Preview = pv.Outcomes, true
		}
	}
	rep.Outcomes = outs
	rep.Counts = countResults(outs)
	if err != nil {
		rep.Error = err.Error()
	}
	rep.FinishedAt = e.cfg.Now().UTC()
	counts := make(map[string]int, len(rep.Counts))
	for k, v := range rep.Counts {
		counts[string(k)] = v
	}
	rr := RunRecord{ID: r.id, StartedAt: rep.StartedAt, FinishedAt: rep.FinishedAt, DryRun: r.dry,
		Counts: counts, Err: rep.Error}
	if aerr := e.cfg.Store.AddRun(context.WithoutCancel(ctx), e.cfg.Pair, rr); aerr != nil {
		e.log.Warn("syncengine: record run", "pair", e.cfg.Pair, "error", aerr)
	}
	if e.cfg.OnFinish != nil {
		e.cfg.OnFinish(rep)
	}
	return rep, err
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *Report) header() []string {
	c := r.Columns
	if c.AID == "" {
		c.AID = r.A + "_id"
	}
	if c.Key == "" {
		c.Key = "key"
	}
	if c.BID == "" {
		c.BID = r.B + "_id"
	}
	h := []string{c.AID, "name", c.Key, c.BID, "action", "fields", "reason"}
	if r.collections() > 1 {
		h = append([]string{"collection"}, h...)
	}
	return h
}

func (r *Report) collections() int {
	seen := map[Collection]bool{}
	for i := range r.Outcomes {
		seen[r.Outcomes[i].Collection] = true
	}
	return len(seen)
}

// WriteCSV writes one row per outcome after a header row: the A id, the
// name, the key, the B id, the result ("created", or in a preview
// "create"), the changed fields (space-separated) and the reason (Detail),
// with a collection column first when the report holds more than one.
// Reports are opened in spreadsheets, so a cell that starts with =, +, -,
// @ or a control character gets a leading apostrophe: HR data must never
// run as a formula.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.header()); err != nil {
		return fmt.Errorf("syncengine: write report: %w", err)
	}
	multi := r.collections() > 1
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		row := []string{o.AID, o.Name, o.Key, o.BID, string(o.Result), strings.Join(o.Fields, " "), o.Detail}
		if multi {
			row = append([]string{string(o.Collection)}, row...)
		}
		for j := range row {
			row[j] = defuse(row[j])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("syncengine: write report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("syncengine: write report: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet from reading s as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}

var marks = map[Result]string{
	ResultCreated: "+", ResultCreate: "+", ResultUpdated: "~", ResultUpdate: "~",
	ResultDeactivated: "-", ResultDeactivate: "-", ResultReactivated: "+", ResultReactivate: "+",
	ResultSkipped: "#", ResultSkip: "#", ResultFailed: "x", ResultFail: "x",
	ResultNotAttempted: "?", ResultAlreadyApplied: "=", ResultUnchanged: " ",
}

// WriteText writes one line per record that is not simply unchanged —
// mark, result, id, name, key and reason (or the changed fields) — then
// the summary line.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	r.writeRows(&b, func(o *Outcome) bool { return o.Result != ResultUnchanged || o.Due != "" })
	if r.Held != nil {
		fmt.Fprintf(&b, "Held: %d deactivations exceed the threshold; none applied.\n", r.Held.Deactivations)
	}
	if r.Preview {
		b.WriteString(r.Summary() + "\n")
	} else {
		b.WriteString(r.Summary() + ".\n")
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "Error: %s\n", r.Error)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteRows writes the lines of WriteText for the outcomes keep selects,
// without the summary (nil keep: every outcome that is not unchanged).
func (r *Report) WriteRows(w io.Writer, keep func(*Outcome) bool) error {
	if keep == nil {
		keep = func(o *Outcome) bool { return o.Result != ResultUnchanged || o.Due != "" }
	}
	var b strings.Builder
	r.writeRows(&b, keep)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) writeRows(b *strings.Builder, keep func(*Outcome) bool) {
	var rows []*Outcome
	wid := [3]int{3, 0, 3} // the name column is left out when no record has a name
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		if !keep(o) {
			continue
		}
		rows = append(rows, o)
		for j, s := range [3]string{o.sourceID(), o.Name, dash(o.Key)} {
			wid[j] = max(wid[j], min(utf8.RuneCountInString(s), [3]int{12, 24, 40}[j]))
		}
	}
	for _, o := range rows {
		detail := o.Detail
		if detail == "" && len(o.Fields) > 0 && (o.Result == ResultUpdated || o.Result == ResultUpdate) {
			detail = strings.Join(o.Fields, ", ")
		}
		name := ""
		if wid[1] > 0 {
			name = pad(o.Name, wid[1]) + "  "
		}
		line := fmt.Sprintf("  %s %-11s %s  %s%s  %s", marks[o.Result], o.Result,
			pad(o.sourceID(), wid[0]), name, pad(dash(o.Key), wid[2]), detail)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

// sourceID is the id a row leads with: the A id, or the B id when the
// record exists only on B.
func (o *Outcome) sourceID() string {
	if o.AID != "" && o.Source != SideB {
		return o.AID
	}
	if o.BID != "" {
		return o.BID
	}
	return dash(o.AID)
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
