package syncengine

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Outcome is what happened to one record in a run.
type Outcome struct {
	Collection Collection `json:"collection"`
	AID        string     `json:"a_id,omitempty"`
	BID        string     `json:"b_id,omitempty"`
	Key        string     `json:"key,omitempty"`
	Action     Action     `json:"action"`
	Reason     Reason     `json:"reason,omitempty"`
	// Status is StatusPlanned, StatusApplied, StatusFailed or StatusSkipped.
	Status string `json:"status"`
	// Fields names the changed fields ("side.field" when a change writes both sides).
	Fields []string `json:"fields,omitempty"`
	Error  string   `json:"error,omitempty"`
	// Failures is the change's Failures: the target fields the map failed on.
	Failures []FieldFailure `json:"failures,omitempty"`
	// Note carries what is worth knowing but not an error: unresolved
	// references, a record adopted after an unknown create outcome.
	Note string `json:"note,omitempty"`
}

// Report is the result of a run: counts and one outcome per record.
type Report struct {
	RunID      string         `json:"run_id"`
	Pair       string         `json:"pair"`
	DryRun     bool           `json:"dry_run"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt time.Time      `json:"finished_at"`
	Counts     map[string]int `json:"counts"`
	Held       *Hold          `json:"held,omitempty"`
	Outcomes   []Outcome      `json:"outcomes"`
	Error      string         `json:"error,omitempty"`
}

// Failed reports whether any record failed.
func (r *Report) Failed() bool { return r.Counts["error"] > 0 }

func outcomeOf(ch *Change, status string) Outcome {
	o := Outcome{Collection: ch.Collection, AID: ch.AID, BID: ch.BID, Key: ch.Key,
		Action: ch.Action, Reason: ch.Reason, Status: status, Error: ch.Error, Failures: ch.Failures}
	both := ch.Source == "" && len(diffsOn(ch.Fields, SideA)) > 0 && len(diffsOn(ch.Fields, SideB)) > 0
	for _, d := range ch.Fields {
		name := d.Field
		if both {
			name = string(d.Side) + "." + name
		}
		o.Fields = append(o.Fields, name)
	}
	for _, rd := range ch.Refs {
		if len(rd.Unresolved) > 0 {
			o.Note = joinMsg(o.Note, fmt.Sprintf("%s not written: %s not synced", rd.Role, refList(rd.Unresolved)))
		} else if !refsEqual(rd.New, rd.Old) {
			o.Fields = append(o.Fields, rd.Role)
		}
	}
	for _, c := range ch.Conflicts {
		o.Note = joinMsg(o.Note, fmt.Sprintf("conflict on %s.%s: want %q, have %q (%s)", c.Side, c.Field, c.Want, c.Have, c.Resolution))
	}
	if ch.Action == ActionError {
		o.Status = StatusFailed
	}
	return o
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
	rep := &Report{RunID: r.id, Pair: e.cfg.Pair, DryRun: r.dry, StartedAt: r.started, Counts: map[string]int{}}
	if p != nil {
		rep.Held = p.Held
		if outs == nil {
			outs = plannedOutcomes(p, r.dry)
		}
	}
	rep.Outcomes = outs
	for _, o := range outs {
		rep.Counts[countKey(o)]++
	}
	if err != nil {
		rep.Error = err.Error()
	}
	rep.FinishedAt = e.cfg.Now().UTC()
	rr := RunRecord{ID: r.id, StartedAt: rep.StartedAt, FinishedAt: rep.FinishedAt, DryRun: r.dry,
		Counts: rep.Counts, Err: rep.Error}
	if aerr := e.cfg.Store.AddRun(context.WithoutCancel(ctx), e.cfg.Pair, rr); aerr != nil {
		e.log.Warn("syncengine: record run", "pair", e.cfg.Pair, "error", aerr)
	}
	if e.cfg.OnFinish != nil {
		e.cfg.OnFinish(rep)
	}
	return rep, err
}

func plannedOutcomes(p *Plan, dry bool) []Outcome {
	out := make([]Outcome, len(p.Changes))
	for i := range p.Changes {
		ch := &p.Changes[i]
		status := StatusSkipped
		if dry && ch.writes() {
			status = StatusPlanned
		}
		out[i] = outcomeOf(ch, status)
	}
	return out
}

func countKey(o Outcome) string {
	switch {
	case o.Status == StatusFailed:
		return "error"
	case o.Status == StatusApplied || o.Status == StatusPlanned:
		return string(o.Action)
	case o.Action == ActionConflict:
		return "conflict"
	}
	return "skip"
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var csvHeader = []string{"collection", "a_id", "b_id", "key", "action", "reason", "status", "fields", "error", "note"}

// WriteCSV writes one row per outcome, after a header row.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, o := range r.Outcomes {
		row := []string{string(o.Collection), o.AID, o.BID, o.Key, string(o.Action), string(o.Reason),
			o.Status, strings.Join(o.Fields, " "), o.Error, o.Note}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes a readable summary: one line per record that was not
// simply unchanged, then the counts.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	mode := ""
	if r.DryRun {
		mode = " (dry run)"
	}
	fmt.Fprintf(&b, "sync %s run %s%s\n", r.Pair, r.RunID, mode)
	for _, o := range r.Outcomes {
		if o.Action == ActionSkip && o.Reason == ReasonUnchanged && o.Note == "" {
			continue
		}
		fmt.Fprintf(&b, "  %-8s %-10s %s a=%s b=%s", o.Status, o.Action, o.Collection, dash(o.AID), dash(o.BID))
		if o.Key != "" {
			fmt.Fprintf(&b, " key=%q", o.Key)
		}
		if o.Reason != "" {
			fmt.Fprintf(&b, " (%s)", o.Reason)
		}
		if len(o.Fields) > 0 {
			fmt.Fprintf(&b, " fields=%s", strings.Join(o.Fields, ","))
		}
		if o.Error != "" {
			fmt.Fprintf(&b, " error: %s", o.Error)
		}
		if o.Note != "" {
			fmt.Fprintf(&b, " note: %s", o.Note)
		}
		b.WriteByte('\n')
	}
	if r.Held != nil {
		fmt.Fprintf(&b, "Held: %d deactivations exceed the threshold; none applied.\n", r.Held.Deactivations)
	}
	keys := sortedKeys(r.Counts)
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, r.Counts[k])
	}
	fmt.Fprintf(&b, "Counts: %s\n", strings.Join(parts, " "))
	if r.Error != "" {
		fmt.Fprintf(&b, "Error: %s\n", r.Error)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
